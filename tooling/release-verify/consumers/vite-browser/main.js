// Consumer (c): a browser app bundled by Vite with both adapters. Runs a block of every
// excitation kind on TF.js (webgl backend) and onnxruntime-web (wasm; a kind se-onnxruntime
// does not write yet is reported with its refusal), and writes what it found into #result
// for the verify script to read.
import { seReference } from '@seblock/se-core';
import { createSESession } from '@seblock/se-onnxruntime';
import { seBlock } from '@seblock/se-tfjs';
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { KINDS, kindRefusal, makeCase, maxAbsDiff } from './block.mjs';

function nhwcToNchw(values, [n, h, w, c]) {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + x] = values[((b * h + y) * w + x) * c + ch];
  return out;
}

/** One kind on both runtimes: max differences, or the ONNX side's refusal. */
async function runKind(kind) {
  const { block, nchw, nchwShape, nhwc, nhwcShape } = makeCase(kind);
  const reference = seReference(block.spec, block.weights, nchw, nchwShape);
  const x = tf.tensor4d(nhwc, nhwcShape);
  const y = seBlock(x, block);
  const yTf = nhwcToNchw(await y.data(), nhwcShape);
  tf.dispose([x, y]);
  const result = { values: yTf.length, tfjsVsReference: maxAbsDiff(yTf, reference) };
  let session;
  try {
    session = await createSESession(block, { runtime: 'web', executionProviders: ['wasm'] });
  } catch (error) {
    const refusal = kindRefusal(kind, error);
    if (refusal === undefined) throw error;
    return { ...result, ortRefused: refusal };
  }
  const yOrt = await session.runArray(nchw, nchwShape);
  await session.release();
  return {
    ...result,
    ortVsReference: maxAbsDiff(yOrt, reference),
    tfjsVsOrt: maxAbsDiff(yTf, yOrt),
  };
}

async function main() {
  if (!(await tf.setBackend('webgl'))) throw new Error('TF.js webgl backend did not initialise');
  await tf.ready();
  const gl = tf.backend().gpgpu?.gl;
  const debug = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl ? gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : '?';
  const kinds = {};
  for (const kind of KINDS) kinds[kind] = await runKind(kind);
  return {
    tfjsBackend: tf.getBackend(),
    webglRenderer: String(renderer),
    tfjsFloat32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    kinds,
  };
}

const out = document.getElementById('result');
main().then(
  (result) => {
    out.textContent = JSON.stringify(result);
    document.body.dataset.status = 'done';
  },
  (error) => {
    out.textContent = JSON.stringify({ error: String(error?.stack ?? error) });
    document.body.dataset.status = 'error';
  },
);

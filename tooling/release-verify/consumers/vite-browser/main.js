// Consumer (c): a browser app bundled by Vite with both adapters. Runs the same SE
// block on TF.js (webgl backend) and onnxruntime-web (wasm), and writes what it found
// into #result for the verify script to read.
import { seReference } from '@seblock/se-core';
import { createSESession } from '@seblock/se-onnxruntime';
import { seBlock } from '@seblock/se-tfjs';
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { makeCase, maxAbsDiff } from './block.mjs';

function nhwcToNchw(values, [n, h, w, c]) {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + x] = values[((b * h + y) * w + x) * c + ch];
  return out;
}

async function main() {
  const { block, nchw, nchwShape, nhwc, nhwcShape } = makeCase();
  const reference = seReference(block.spec, block.weights, nchw, nchwShape);

  if (!(await tf.setBackend('webgl'))) throw new Error('TF.js webgl backend did not initialise');
  await tf.ready();
  const gl = tf.backend().gpgpu?.gl;
  const debug = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl ? gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : '?';
  const yTf = nhwcToNchw(await seBlock(tf.tensor4d(nhwc, nhwcShape), block).data(), nhwcShape);

  const session = await createSESession(block, { runtime: 'web', executionProviders: ['wasm'] });
  const yOrt = await session.runArray(nchw, nchwShape);
  await session.release();

  return {
    tfjsBackend: tf.getBackend(),
    webglRenderer: String(renderer),
    tfjsFloat32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    values: yOrt.length,
    tfjsVsReference: maxAbsDiff(yTf, reference),
    ortVsReference: maxAbsDiff(yOrt, reference),
    tfjsVsOrt: maxAbsDiff(yTf, yOrt),
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

import { disposeSETensors, hasFusedSEKernel, seBlock, toSETensors } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { blockFor } from '../cases.js';
import { checkOutput } from '../check.js';
import type { Measurement, Runner, Skipped } from '../measurement.js';
import { seBytes } from '../measurement.js';
import { measureInterleaved, type Timing } from '../timing.js';
import { copyBaseline } from './memcpy.js';

// TF.js in Node: the cpu backend (plain JS) and the wasm backend (XNNPACK, SIMD), each with
// seBlock's fused kernel (ours) and the composed TF.js ops ({ fused: false }, naive).
// Both backends run synchronously, so a run is timed from the call to the returned tensor.

const BACKENDS = ['cpu', 'wasm'] as const;

export const tfjsRunner: Runner = {
  name: 'tfjs',
  async run({ cases, inputs, timing, slowTiming, log }) {
    const rows: Measurement[] = [];
    const skipped: Skipped[] = [];
    const info: Record<string, string> = { 'tfjs-core': tf.version_core };
    // The cpu backend's "install tfjs-node" banner says nothing the report does not (tfjs-node
    // cannot install here); tfjs-core 4.22 reads PROD only to silence warnings.
    tf.env().set('PROD', true);
    for (const backend of BACKENDS) {
      const runtime = `tfjs-${backend}`;
      try {
        if (!(await tf.setBackend(backend)))
          throw new Error(`tf.setBackend('${backend}') returned false`);
        await tf.ready();
      } catch (error) {
        skipped.push({ runtime, reason: String(error) });
        continue;
      }
      if (backend === 'wasm') {
        info['tfjs-wasm'] =
          `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, multithread ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`;
      }
      if (!hasFusedSEKernel(backend))
        skipped.push({ runtime: `${runtime} fused`, reason: 'no fused kernel registered' });
      for (const c of cases) {
        const x = inputs.get(c.id) as Float32Array;
        const tensors = toSETensors(blockFor(c.spec));
        const layouts = c.headline ? (['NCHW', 'NHWC'] as const) : (['NCHW'] as const);
        for (const layout of layouts) {
          const nchw = tf.tensor4d(x, [...c.shape]);
          const xT = layout === 'NCHW' ? nchw : tf.transpose(nchw, [0, 2, 3, 1]);
          if (layout === 'NHWC') nchw.dispose();
          for (const fused of [true, false]) {
            if (fused && !hasFusedSEKernel(backend)) continue;
            const call = () => seBlock(xT as tf.Tensor4D, tensors, { layout, fused });
            const slow = !fused && backend === 'cpu';
            const copy = copyBaseline(x);
            const [copyTiming, t] = (await measureInterleaved(
              [copy.run, () => call().dispose()],
              slow ? slowTiming : timing,
            )) as [Timing, Timing];
            const y = call();
            const yNchw = layout === 'NCHW' ? y : tf.transpose(y, [0, 3, 1, 2]);
            const accuracy = checkOutput(c, x, yNchw.dataSync() as Float32Array);
            tf.dispose([y, yNchw]);
            rows.push({
              caseId: c.id,
              runtime,
              path: fused ? 'fused kernel' : 'composed ops',
              role: fused ? 'ours' : 'naive',
              layout,
              timing: t,
              bytesMoved: seBytes(c),
              worstUlp: accuracy,
              pairedCopy: { timing: copyTiming, bytesMoved: copy.bytesMoved },
            });
            log(
              `${runtime} ${c.id} ${layout} ${fused ? 'fused' : 'composed'}: ${t.medianMs.toFixed(2)} ms`,
            );
          }
          xT.dispose();
        }
        disposeSETensors(tensors);
      }
    }
    return { rows, skipped, info };
  },
};

// PyTorch's NaN and overflow semantics on the browser execution providers, with each one's
// session forms (webgpu's and webgl's Relu, Clip and Sigmoid turn NaN into 0: the session's
// nanGuard 'all' must restore it). Shared cases: support/nan-semantics.ts.
import * as ort from 'onnxruntime-web';
import { beforeAll } from 'vitest';
import { describeNaNSemantics } from '../support/nan-semantics.js';
import { webgpuUnavailable } from '../support/webgpu.js';

beforeAll(() => {
  // Single-threaded wasm: multi-threading needs cross-origin isolation (COOP/COEP headers).
  ort.env.wasm.numThreads = 1;
});

const webgl2 = async () =>
  document.createElement('canvas').getContext('webgl2') ? undefined : 'no WebGL2 context';

describeNaNSemantics([
  {
    name: 'onnxruntime-web wasm (Chromium)',
    options: { runtime: 'web', executionProviders: ['wasm'] },
    squeezeOps: [undefined],
  },
  {
    name: 'onnxruntime-web webgpu (Chromium)',
    options: { runtime: 'web', executionProviders: ['webgpu'] },
    squeezeOps: [undefined],
    unavailable: webgpuUnavailable,
  },
  {
    name: 'onnxruntime-web webgl (Chromium)',
    options: { runtime: 'web', executionProviders: ['webgl'] },
    squeezeOps: [undefined],
    unavailable: webgl2,
    // Measured (onnxruntime-web 1.30, SwiftShader): beside a channel of ±3e38, mlp avg and avgmax
    // gave NaN in channels whose reference is finite; GLSL does not promise IEEE infinities.
    noOverflow: 'webgl gives NaN beside an overflowing channel (mlp avg, avgmax): not IEEE',
  },
]);

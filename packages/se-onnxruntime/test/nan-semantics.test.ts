// PyTorch's NaN and overflow semantics on the Node execution providers, with every squeeze
// form (support/nan-semantics.ts; the browser EPs: test/browser/nan-semantics.test.ts).
import { SQUEEZE_OPS } from '../src/forms/pool/registry.js';
import { describeNaNSemantics } from './support/nan-semantics.js';

describeNaNSemantics([
  { name: 'onnxruntime-node cpu', options: { runtime: 'node' }, squeezeOps: SQUEEZE_OPS },
  {
    name: 'onnxruntime-web wasm (Node)',
    options: { runtime: 'web', executionProviders: ['wasm'] },
    squeezeOps: SQUEEZE_OPS,
  },
]);

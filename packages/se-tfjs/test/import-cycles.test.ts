import { fileURLToPath } from 'node:url';
import { describeImportLayering } from '../../../tooling/import-layering.js';

// No file imports itself through others, and no top-level folder of src/ does either:
// kernels/ and op/ once did (op/ ran kernels, kernels/ borrowed op/'s activation functions).
describeImportLayering(fileURLToPath(new URL('../src/', import.meta.url)), {
  forbidden: [['kernels', 'op']],
});

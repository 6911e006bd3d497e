import { fileURLToPath } from 'node:url';
import { describeImportLayering } from '../../../tooling/import-layering.js';

// No file imports itself through others (session/forms.ts and the session module once did),
// and no top-level folder of src/ does either: function/ writes its body with forms/, build/
// calls function/, so function/ must never reach back into build/.
describeImportLayering(fileURLToPath(new URL('../src/', import.meta.url)), {
  forbidden: [
    ['function', 'build'],
    ['forms', 'build'],
  ],
});

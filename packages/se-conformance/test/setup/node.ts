import { detectInNode } from '../../src/backends/node-provider.js';
import type { NodeBackendKey } from '../../src/backends/types.js';
import { loadCases } from '../../src/cases/load.js';
import { setTestEnvironment } from '../support/environment.js';

setTestEnvironment({
  runtime: 'node',
  // describeBackends asks only for the catalog's Node rows here.
  detect: (key) => detectInNode(key as NodeBackendKey),
  loadCases: () => loadCases(),
});

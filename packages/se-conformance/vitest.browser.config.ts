import { mergeConfig } from 'vitest/config';
import { browserTestProject } from '../../tooling/vitest-browser.js';

// webgl, webgpu and wasm in Chromium: WebGL runs on SwiftShader, WebGPU on Dawn's CPU adapter here.
// The golden suite (test/golden.test.ts) runs here too, on the catalog's browser rows
// (mergeConfig appends it to the project's include).
export default mergeConfig(browserTestProject('se-conformance-browser'), {
  test: {
    include: ['test/golden.test.ts'],
    setupFiles: ['test/setup/browser.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});

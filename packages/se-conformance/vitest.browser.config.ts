import { browserTestProject } from '../../tooling/vitest-browser.js';

// webgl, webgpu and wasm in Chromium: WebGL runs on SwiftShader, WebGPU on Dawn's CPU adapter here.
export default browserTestProject('se-conformance-browser');

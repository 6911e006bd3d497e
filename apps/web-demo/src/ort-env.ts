// onnxruntime-web as every page of the demo uses it: its wasm binary copied next to the page by
// the build (vite.config.ts), no CDN; one thread, since threads need a cross-origin-isolated
// page (COOP/COEP), which a plain static host is not.
import * as ort from 'onnxruntime-web';

ort.env.wasm.wasmPaths = new URL('./ort/', document.baseURI).href;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export { ort };
export const ORT_VERSION: string = ort.env.versions?.web ?? 'unknown';

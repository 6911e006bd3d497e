// A user's plain Vite setup: nothing SE-Blocks-specific. onnxruntime-web's .wasm is
// referenced with `new URL(…, import.meta.url)`, which Vite emits as an asset.
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});

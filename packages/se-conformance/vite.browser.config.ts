import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Bundles the in-browser half of the suite (src/browser/page.ts) into dist/page (tsc owns dist/browser).
// onnxruntime-web's wasm files are not bundled: the driver serves the installed ones.
export default defineConfig({
  root: fileURLToPath(new URL('./src/browser/', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/page/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Bundles the in-browser half of the suite (src/browser/page.ts) into dist/page (tsc owns dist/browser).
// TF.js and se-tfjs are bundled (the page is its own world, one tfjs-core in it). onnxruntime-web
// is left out: index.html's import map loads the installed one, whose .wasm files the driver
// serves beside it, so a user's onnxruntime-web version never meets another's wasm.
export default defineConfig({
  root: fileURLToPath(new URL('./src/browser/', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/page/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { external: ['onnxruntime-web/all', 'onnxruntime-web'] },
  },
});

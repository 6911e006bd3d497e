import { createReadStream, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { seededCheckpointServer } from './plugins/seeded-checkpoint.js';

// The app's own dependencies (pnpm links them here); not every package exports its package.json.
const packageDir = (name: string) =>
  fileURLToPath(new URL(`./node_modules/${name}/`, import.meta.url));

/**
 * Files the page fetches at run time, served from the installed packages: nothing comes from a
 * CDN. URL folder → [directory, file filter].
 */
const RUNTIME_FILES: Record<string, [string, (file: string) => boolean]> = {
  // TF.js' wasm backend: setWasmPaths('./tfjs-wasm/') (src/backends.ts).
  'tfjs-wasm': [
    join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist'),
    (f) => f.endsWith('.wasm'),
  ],
  // onnxruntime-web's default build (wasm + webgpu) loads its JSEP binary: ort.env.wasm.wasmPaths = './ort/'.
  ort: [
    join(packageDir('onnxruntime-web'), 'dist'),
    (f) => f.startsWith('ort-wasm-simd-threaded.jsep.'),
  ],
  // se-core's golden cases, for the conformance page.
  golden: [
    join(packageDir('@seblock/se-core'), 'golden'),
    (f) => f.endsWith('.safetensors') || f === 'index.json',
  ],
};

const CONTENT_TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
};

function runtimeFiles(): Plugin {
  const filesOf = (dir: string, keep: (f: string) => boolean) =>
    readdirSync(dir).filter((f) => keep(f) && statSync(join(dir, f)).isFile());
  return {
    name: 'web-demo:runtime-files',
    // `vite` (dev): stream them from node_modules.
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/([a-z-]+)\/([^/?]+)/.exec(request.url ?? '');
        const entry = match && RUNTIME_FILES[match[1] as string];
        const file = match?.[2];
        if (!entry || !file || !filesOf(...entry).includes(file)) return next();
        const ext = file.slice(file.lastIndexOf('.'));
        response.setHeader('Content-Type', CONTENT_TYPES[ext] ?? 'application/octet-stream');
        createReadStream(join(entry[0], file)).pipe(response);
      });
    },
    // `vite build`: copy them into dist, so `vite preview` (or any static server) works offline.
    async generateBundle() {
      for (const [folder, [dir, keep]] of Object.entries(RUNTIME_FILES)) {
        for (const file of filesOf(dir, keep)) {
          this.emitFile({
            type: 'asset',
            fileName: `${folder}/${file}`,
            source: await readFile(join(dir, file)),
          });
        }
      }
    },
  };
}

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  base: './',
  plugins: [runtimeFiles(), seededCheckpointServer()],
  resolve: {
    // onnxruntime-web's builds that load their wasm glue from ort.env.wasm.wasmPaths (./ort/,
    // copied above) instead of bundling it, so the 28 MB binary is not emitted twice.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // onnxruntime-web finds its files at run time; pre-bundling it (dev server) would move it.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // TF.js with four backends and onnxruntime-web are large; that is the demo.
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      input: {
        main: page('index.html'),
        conformance: page('conformance.html'),
        classify: page('classify.html'),
      },
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
});

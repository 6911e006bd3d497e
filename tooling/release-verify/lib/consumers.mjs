// The consumer projects: what each installs and what it proves. Each is a fresh
// directory outside the workspace whose .npmrc sends @seblock/* to the throwaway
// registry and everything else to the npm registry, installed with npm as a user would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPageResult, serveDirectory } from './browser.mjs';
import { note } from './steps.mjs';

/** Third-party versions the consumers install (the repository's own pins). */
export const VERSIONS = {
  tfjs: '4.22.0',
  onnxruntime: '1.30.0',
  vite: '8.3.8',
  typescript: '5.9.3',
  typesNode: '20.19.25',
};

const tfjs = (...names) =>
  Object.fromEntries(names.map((n) => [`@tensorflow/tfjs-${n}`, VERSIONS.tfjs]));

/**
 * The browser block's outputs are at most ~2, where a float32 ULP is 2.4e-7; both runtimes
 * compute in float32 (WebGL with float32 textures, checked on the page), so 1e-5 (~40 ULP)
 * is generous and still catches a wrong formula, a half-float path or a layout mix-up.
 */
const BROWSER_TOLERANCE = { ortVsReference: 1e-5, tfjsVsReference: 1e-5, tfjsVsOrt: 1e-5 };

export const CONSUMERS = [
  {
    id: 'node-onnxruntime',
    title: '(a) Node ESM: se-onnxruntime on onnxruntime-node vs se-core seReference, every kind',
    seblock: ['@seblock/se-core', '@seblock/se-onnxruntime'],
    dependencies: { 'onnxruntime-node': VERSIONS.onnxruntime },
    files: { 'check.mjs': 'node-onnxruntime/check.mjs', 'block.mjs': 'block.mjs' },
    async check({ exec }) {
      await exec('node', ['check.mjs'], { echo: true });
    },
  },
  {
    id: 'node-tfjs',
    title:
      '(b) Node ESM: se-tfjs on tfjs-backend-wasm, every kind; SqueezeExcite layers saved and reloaded',
    seblock: ['@seblock/se-core', '@seblock/se-tfjs'],
    dependencies: tfjs('core', 'layers', 'backend-wasm'),
    files: { 'check.mjs': 'node-tfjs/check.mjs', 'block.mjs': 'block.mjs' },
    async check({ exec }) {
      await exec('node', ['check.mjs'], { echo: true });
    },
  },
  {
    id: 'vite-browser',
    title: '(c) Vite app in Chromium: TF.js webgl and onnxruntime-web wasm agree on every kind',
    seblock: ['@seblock/se-core', '@seblock/se-tfjs', '@seblock/se-onnxruntime'],
    dependencies: {
      ...tfjs('core', 'layers', 'backend-webgl'),
      'onnxruntime-web': VERSIONS.onnxruntime,
      vite: VERSIONS.vite,
    },
    files: {
      'index.html': 'vite-browser/index.html',
      'main.js': 'vite-browser/main.js',
      'vite.config.mjs': 'vite-browser/vite.config.mjs',
      'block.mjs': 'block.mjs',
    },
    async check({ dir, exec, chromium }) {
      await exec('npx', ['--no-install', 'vite', 'build'], { echo: true });
      note('vite build: done; serving dist/ on 127.0.0.1');
      const server = await serveDirectory(join(dir, 'dist'));
      let result;
      try {
        result = await readPageResult(server.url, await chromium());
      } finally {
        await server.close();
      }
      note(`Chromium ${result.browserVersion}, page status: ${result.status}`);
      const data = JSON.parse(result.text || '{}');
      if (result.status !== 'done' || data.error) {
        const error = new Error(`the page reported an error: ${data.error ?? result.text}`);
        error.tail = [...result.pageErrors, ...result.console].join('\n');
        throw error;
      }
      note(
        `TF.js backend ${data.tfjsBackend} (renderer: ${data.webglRenderer}, float32 textures: ${data.tfjsFloat32}); ` +
          `onnxruntime-web wasm, crossOriginIsolated: ${data.crossOriginIsolated}`,
      );
      if (data.tfjsBackend !== 'webgl')
        throw new Error(`TF.js ran on ${data.tfjsBackend}, not webgl`);
      const kinds = Object.entries(data.kinds ?? {});
      if (!kinds.some(([kind]) => kind === 'mlp'))
        throw new Error(`the page ran no SE MLP block (kinds: ${kinds.map(([k]) => k)})`);
      for (const [kind, result] of kinds) {
        // The page's only allowed refusal: an SESpecError naming the kind (block.mjs' kindRefusal).
        if (result.ortRefused) note(`${kind}: onnxruntime-web: ${result.ortRefused}`);
        for (const [key, limit] of Object.entries(BROWSER_TOLERANCE)) {
          if (result.ortRefused && key !== 'tfjsVsReference') continue;
          const value = result[key];
          note(
            `${kind} ${key}: max abs diff ${Number(value).toExponential(2)} over ${result.values} values (limit ${limit})`,
          );
          if (!(value < limit))
            throw new Error(`${kind} ${key} = ${value}, over the limit ${limit}`);
        }
      }
    },
  },
  {
    id: 'conformance-cli',
    title: '(d) npx se-conformance on four backends, from the registry-installed package',
    seblock: ['@seblock/se-conformance'],
    // The runtimes are se-conformance's peers: what its README tells a user to install.
    dependencies: {
      ...tfjs('core', 'layers', 'backend-cpu', 'backend-wasm'),
      'onnxruntime-node': VERSIONS.onnxruntime,
      'onnxruntime-web': VERSIONS.onnxruntime,
    },
    files: {},
    async check({ dir, exec }) {
      const backends = ['tfjs-cpu', 'tfjs-wasm', 'ort-node-cpu', 'ort-web-wasm'];
      await exec(
        'npx',
        [
          '--no-install',
          'se-conformance',
          '--backends',
          backends.join(','),
          '--json',
          'report.json',
        ],
        { echo: true },
      );
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
      summariseConformance(report, backends);
    },
  },
  {
    id: 'typescript',
    title: `(e) TypeScript ${VERSIONS.typescript} consumers: moduleResolution bundler and nodenext`,
    seblock: [
      '@seblock/se-core',
      '@seblock/se-tfjs',
      '@seblock/se-onnxruntime',
      '@seblock/se-conformance',
    ],
    dependencies: {
      ...tfjs('core', 'layers'),
      typescript: VERSIONS.typescript,
      '@types/node': VERSIONS.typesNode,
    },
    files: {
      'example.ts': 'typescript/example.ts',
      'tsconfig.bundler.json': 'typescript/tsconfig.bundler.json',
      'tsconfig.nodenext.json': 'typescript/tsconfig.nodenext.json',
      'tsconfig.declarations.json': 'typescript/tsconfig.declarations.json',
    },
    async check({ exec }) {
      for (const resolution of ['bundler', 'nodenext']) {
        await exec('npx', ['--no-install', 'tsc', '-p', `tsconfig.${resolution}.json`], {
          echo: true,
        });
        note(`tsc --noEmit, strict, moduleResolution ${resolution}: no errors`);
      }
      const { output } = await exec(
        'npx',
        ['--no-install', 'tsc', '-p', 'tsconfig.declarations.json', '--pretty', 'false'],
        { allowFailure: true },
      );
      const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
      const ours = errors.filter((line) => line.startsWith('node_modules/@seblock/'));
      const theirs = new Map();
      for (const line of errors.filter((l) => !ours.includes(l))) {
        const where = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line)?.[1] ?? line.split('(')[0];
        theirs.set(where, (theirs.get(where) ?? 0) + 1);
      }
      const others = [...theirs].map(([name, n]) => `${name} ${n}`).join(', ');
      note(
        `every .d.ts checked (skipLibCheck false): ${ours.length} errors in @seblock/*; elsewhere: ${others || 'none'}`,
      );
      if (ours.length > 0)
        throw new Error(`errors in the published declarations:\n${ours.join('\n')}`);
    },
  },
];

/**
 * The CLI's exit status is the verdict; this also makes sure it was not an empty
 * success: every requested backend ran (not skipped) and passed every case.
 * (Fields: se-conformance's SuiteReport, written by --json.)
 */
function summariseConformance(report, backends) {
  const cases = report.cases?.length ?? 0;
  if (cases === 0) throw new Error('the conformance report has no cases');
  for (const key of backends) {
    const row = report.backends?.find((b) => b.key === key);
    if (!row) throw new Error(`the report has no row for backend ${key}`);
    if (row.status !== 'ran') throw new Error(`backend ${key} was ${row.status}: ${row.reason}`);
    const cells = report.cells.filter((c) => c.backend === key);
    const passed = cells.filter((c) => c.status === 'pass').length;
    note(`${key}: ${passed}/${cases} cases pass`);
    if (passed !== cases) throw new Error(`backend ${key}: ${passed} of ${cases} cases pass`);
  }
  if (report.passed !== true) throw new Error('report.json says passed: false');
}

// The conformance page: se-conformance's suite (runSuite, its backend list, its tolerances and
// its HTML report) on every golden case of se-core, with the backends of this browser.

import {
  assembleReport,
  BACKENDS,
  type BackendDescriptor,
  type BackendRunner,
  type ConformanceCase,
  createOrtRunner,
  createTfjsRunner,
  type Detection,
  renderHtml,
  runSuite,
  type SuiteReport,
} from '@seblock/se-conformance/browser';
import { decodeGoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The "all" build: wasm, webgpu and webgl execution providers.
import * as ort from 'onnxruntime-web/all';
import { webgpuUnavailable } from '../backends.js';
import { $, el } from '../ui.js';

setWasmPaths(new URL('./tfjs-wasm/', document.baseURI).href);
ort.env.wasm.wasmPaths = new URL('./ort/', document.baseURI).href;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const ortModule = ort as unknown as Parameters<typeof createOrtRunner>[0]['ort'];

/** The browser rows of se-conformance's list, plus TF.js cpu and wasm, which run in a page too. */
function browserBackends(): BackendDescriptor[] {
  const inPage = (id: string): BackendDescriptor => {
    const base = BACKENDS.find((b) => b.id === id) as BackendDescriptor;
    return {
      ...base,
      key: `${id}@browser`,
      runtime: 'browser',
      description: `${base.description}, in this browser`,
    };
  };
  return [
    inPage('tfjs-cpu'),
    inPage('tfjs-wasm'),
    ...BACKENDS.filter((b) => b.runtime === 'browser'),
  ];
}

// se-conformance's own runners (the ones its CLI page uses); an exact-GELU case on
// onnxruntime-web's webgl EP (no Erf operator) comes back as skipped, with that reason.
const web = (executionProvider: string) =>
  createOrtRunner({ runtime: 'web', executionProvider, ort: ortModule });
const LOADERS: Record<string, () => Promise<BackendRunner>> = {
  'tfjs-cpu': () => createTfjsRunner(tf, 'cpu'),
  'tfjs-wasm': () => createTfjsRunner(tf, 'wasm'),
  'tfjs-webgl': () => createTfjsRunner(tf, 'webgl'),
  'tfjs-webgpu': async () => {
    const missing = await webgpuUnavailable();
    if (missing) throw new Error(missing);
    return createTfjsRunner(tf, 'webgpu');
  },
  'ort-web-wasm': () => web('wasm'),
  'ort-web-webgpu': async () => {
    const missing = await webgpuUnavailable();
    if (missing) throw new Error(missing);
    return web('webgpu');
  },
  'ort-web-webgl': () => web('webgl'),
};

const provider = () => ({
  async detect(backend: BackendDescriptor): Promise<Detection> {
    const load = LOADERS[backend.id];
    if (!load) return { available: false, reason: `${backend.id} does not run in a browser` };
    try {
      return { available: true, runner: await load() };
    } catch (error) {
      return { available: false, reason: (error as Error).message.split('\n')[0] ?? String(error) };
    }
  },
});

async function loadCases(): Promise<ConformanceCase[]> {
  const index = (await (await fetch(new URL('./golden/index.json', document.baseURI))).json()) as {
    cases: { name: string; file: string }[];
  };
  return Promise.all(
    index.cases.map(async (entry) => {
      const response = await fetch(new URL(`./golden/${entry.file}`, document.baseURI));
      if (!response.ok) throw new Error(`golden/${entry.file}: HTTP ${response.status}`);
      return { ...decodeGoldenCase(new Uint8Array(await response.arrayBuffer())), id: entry.name };
    }),
  );
}

async function run(): Promise<void> {
  const button = $('#run') as HTMLButtonElement;
  button.disabled = true;
  document.body.dataset.done = 'false';
  const progress = $('#progress') as HTMLProgressElement;
  const label = $('#progress-label');
  label.textContent = 'Loading the golden cases…';
  const cases = await loadCases();
  const backends = browserBackends();
  const started = performance.now();
  const result = await runSuite(backends, cases, provider, {
    onProgress: ({ done, total, label: text }) => {
      progress.max = total;
      progress.value = done;
      label.textContent = `${done}/${total} ${text}`;
    },
  });
  const report = assembleReport(cases, result, {
    browser: navigator.userAgent,
    cores: `${navigator.hardwareConcurrency}`,
  });
  const { passed } = report;
  const ran = result.backends.filter((b) => b.status === 'ran');
  const failing = result.cells.filter((c) => c.status === 'fail' || c.status === 'error');
  const verdict = $('#verdict');
  verdict.className = passed ? 'good' : 'bad';
  verdict.textContent = `${passed ? 'PASS' : 'FAIL'}: ${cases.length} cases on ${ran.length} backends (${ran.map((b) => b.key).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s${failing.length ? `; ${failing.length} cell(s) out of tolerance or in error` : ''}.`;
  $('#skipped').replaceChildren(
    ...result.backends
      .filter((b) => b.status === 'skipped')
      .map((b) => el('li', {}, `${b.key} skipped: ${b.reason ?? ''}`)),
  );
  const frame = $('#conformance-frame') as HTMLIFrameElement;
  frame.addEventListener(
    'load',
    () => {
      frame.style.height = `${(frame.contentDocument?.documentElement.scrollHeight ?? 800) + 20}px`;
      document.body.dataset.done = 'true';
    },
    { once: true },
  );
  frame.srcdoc = renderHtml(report);
  label.textContent = 'Done.';
  button.disabled = false;
  (globalThis as { __conformance?: SuiteReport }).__conformance = report;
}

$('#run').addEventListener('click', () => void run());
run().catch((error: unknown) => {
  const status = $('#status');
  status.classList.add('bad');
  status.textContent = `The suite could not run: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.error = 'true';
});

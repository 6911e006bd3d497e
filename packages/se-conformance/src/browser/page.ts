// The conformance page: runs the browser backends inside Chromium. Bundled by
// Vite at build time (vite.browser.config.ts) into dist/browser/.
import { decodeGoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as ort from 'onnxruntime-web/all';
import { createOrtRunner } from '../backends/ort-runner.js';
import { firstLine } from '../backends/probe.js';
import { createTfjsRunner } from '../backends/tfjs-runner.js';
import {
  type BackendId,
  type BackendRunner,
  CaseUnsupportedError,
  type ConformanceCase,
} from '../backends/types.js';
import { float32ToBase64 } from './base64.js';
import { CASES_PREFIX, type ConformancePageApi, ORT_WASM_PREFIX, PAGE_GLOBAL } from './protocol.js';

// The wasm binaries are served by the driver from the installed onnxruntime-web.
ort.env.wasm.wasmPaths = ORT_WASM_PREFIX;

const ortModule = ort as unknown as Parameters<typeof createOrtRunner>[0]['ort'];
const webgpuMissing = () =>
  !('gpu' in navigator)
    ? 'navigator.gpu is missing: this browser has no WebGPU (Chromium needs --enable-unsafe-webgpu without a GPU)'
    : undefined;

const LOADERS: Partial<Record<BackendId, () => Promise<BackendRunner>>> = {
  'tfjs-webgl': () => createTfjsRunner(tf, 'webgl'),
  'tfjs-webgpu': async () => {
    const missing = webgpuMissing();
    if (missing) throw new Error(missing);
    return createTfjsRunner(tf, 'webgpu');
  },
  'ort-web-wasm': () =>
    createOrtRunner({ runtime: 'web', executionProvider: 'wasm', ort: ortModule }),
  'ort-web-webgpu': async () => {
    const missing = webgpuMissing();
    if (missing) throw new Error(missing);
    return createOrtRunner({ runtime: 'web', executionProvider: 'webgpu', ort: ortModule });
  },
  'ort-web-webgl': () =>
    createOrtRunner({ runtime: 'web', executionProvider: 'webgl', ort: ortModule }),
};

const runners = new Map<BackendId, BackendRunner>();
const cases = new Map<string, ConformanceCase>();

async function loadCase(caseId: string): Promise<ConformanceCase> {
  const cached = cases.get(caseId);
  if (cached) return cached;
  const response = await fetch(CASES_PREFIX + encodeURIComponent(caseId));
  if (!response.ok) throw new Error(`case ${caseId}: HTTP ${response.status}`);
  const golden = { ...decodeGoldenCase(new Uint8Array(await response.arrayBuffer())), id: caseId };
  cases.set(caseId, golden);
  return golden;
}

const api: ConformancePageApi = {
  async detect(id) {
    const load = LOADERS[id];
    if (!load) return { available: false, reason: `${id} does not run in the browser page` };
    try {
      const runner = await load();
      runners.set(id, runner);
      return { available: true, precision: runner.precision, versions: runner.versions };
    } catch (error) {
      return { available: false, reason: firstLine(error) };
    }
  },
  async run(id, caseId) {
    const runner = runners.get(id);
    if (!runner) throw new Error(`${id} was not initialised`);
    try {
      return { y: float32ToBase64(await runner.run(await loadCase(caseId))) };
    } catch (error) {
      if (error instanceof CaseUnsupportedError) return { unsupported: error.message };
      throw error;
    }
  },
  userAgent: () => navigator.userAgent,
};

(globalThis as unknown as Record<string, unknown>)[PAGE_GLOBAL] = api;
document.body.dataset.ready = 'true';

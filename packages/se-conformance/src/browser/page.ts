// The conformance page: runs the browser backends inside Chromium. Bundled by
// Vite at build time (vite.browser.config.ts) into dist/page/.
import { decodeGoldenCase } from '@seblock/se-core';
import {
  type BackendRunner,
  type BrowserBackendKey,
  CaseUnsupportedError,
  type ConformanceCase,
} from '../backends/types.js';
import { float32ToBase64 } from './base64.js';
import { detectInPage, ortWeb } from './loaders.js';
import { CASES_PREFIX, type ConformancePageApi, ORT_WASM_PREFIX, PAGE_GLOBAL } from './protocol.js';

// The wasm binaries are served by the driver from the installed onnxruntime-web.
ortWeb.env.wasm.wasmPaths = ORT_WASM_PREFIX;

const runners = new Map<BrowserBackendKey, BackendRunner>();
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
  async detect(key) {
    const found = await detectInPage(key);
    if (!found.available) return found;
    runners.set(key, found.runner);
    const { precision, versions, variants } = found.runner;
    return { available: true, precision, versions: { ...versions }, variants };
  },
  async run(key, caseId, variant) {
    const runner = runners.get(key);
    if (!runner) throw new Error(`${key} was not initialised`);
    try {
      return { y: float32ToBase64(await runner.run(await loadCase(caseId), variant)) };
    } catch (error) {
      if (error instanceof CaseUnsupportedError) return { unsupported: error.message };
      throw error;
    }
  },
  userAgent: () => navigator.userAgent,
};

(globalThis as unknown as Record<string, unknown>)[PAGE_GLOBAL] = api;
document.body.dataset.ready = 'true';

// The backends that run in a browser page, and how each is created. Used by the
// conformance page (bundled for the CLI) and by this package's browser tests.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as ort from 'onnxruntime-web/all';
import { createOrtRunner } from '../backends/ort-runner.js';
import { ORT_VARIANTS } from '../backends/ort-variants.js';
import { firstLine } from '../backends/probe.js';
import { createTfjsRunner } from '../backends/tfjs-runner.js';
import type {
  BackendDescriptor,
  BackendRunner,
  BrowserBackendKey,
  Detection,
} from '../backends/types.js';
import type { BackendProvider } from '../suite.js';

/** onnxruntime-web with every execution provider (wasm, webgpu, webgl). */
export const ortWeb = ort;
const ortModule = ort as unknown as Parameters<typeof createOrtRunner>[0]['ort'];

async function webgpuMissing(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu)
    return 'navigator.gpu is missing: this browser has no WebGPU (Chromium needs --enable-unsafe-webgpu without a GPU)';
  if (!(await gpu.requestAdapter())) return 'navigator.gpu.requestAdapter() returned no adapter';
  return undefined;
}

async function needWebgpu(): Promise<void> {
  const missing = await webgpuMissing();
  if (missing) throw new Error(missing);
}

const web = (key: Extract<BrowserBackendKey, `ort-${string}`>, executionProvider: string) =>
  createOrtRunner({
    runtime: 'web',
    executionProvider,
    ort: ortModule,
    variants: ORT_VARIANTS[key],
  });

/** How each browser backend is created: the compiler refuses a browser row of the catalog without one. */
const BROWSER_LOADERS = {
  'tfjs-webgl': () => createTfjsRunner(tf, 'webgl'),
  'tfjs-webgpu': async () => {
    await needWebgpu();
    return createTfjsRunner(tf, 'webgpu');
  },
  'ort-web-wasm@browser': () => web('ort-web-wasm@browser', 'wasm'),
  'ort-web-webgpu': async () => {
    await needWebgpu();
    return web('ort-web-webgpu', 'webgpu');
  },
  'ort-web-webgl': () => web('ort-web-webgl', 'webgl'),
} as const satisfies Record<BrowserBackendKey, () => Promise<BackendRunner>>;

/** Detects a browser backend inside this page: a runner, or why there is none. */
export async function detectInPage(key: BrowserBackendKey): Promise<Detection> {
  try {
    return { available: true, runner: await BROWSER_LOADERS[key]() };
  } catch (error) {
    return { available: false, reason: firstLine(error) };
  }
}

/** A provider for runSuite when the suite itself runs in the page. */
export const inPageProvider: BackendProvider = {
  detect: async (backend: BackendDescriptor) =>
    Object.hasOwn(BROWSER_LOADERS, backend.key)
      ? detectInPage(backend.key as BrowserBackendKey)
      : { available: false, reason: `${backend.key} is not a browser backend of the catalog` },
};

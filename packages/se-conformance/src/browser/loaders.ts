// The backends that run in a browser page, and how each is created. Used by the
// conformance page (bundled for the CLI) and by this package's browser tests.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as ort from 'onnxruntime-web/all';
import { createOrtRunner } from '../backends/ort-runner.js';
import { firstLine } from '../backends/probe.js';
import { createTfjsRunner } from '../backends/tfjs-runner.js';
import type { BackendDescriptor, BackendId, BackendRunner, Detection } from '../backends/types.js';
import type { BackendProvider } from '../suite.js';

/** onnxruntime-web with every execution provider (wasm, webgpu, webgl). */
export const ortWeb = ort;
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

/** Detects a browser backend inside this page: a runner, or why there is none. */
export async function detectInPage(id: BackendId): Promise<Detection> {
  const load = LOADERS[id];
  if (!load) return { available: false, reason: `${id} does not run in a browser page` };
  try {
    return { available: true, runner: await load() };
  } catch (error) {
    return { available: false, reason: firstLine(error) };
  }
}

/** A provider for runSuite when the suite itself runs in the page. */
export const inPageProvider: BackendProvider = {
  detect: (backend: BackendDescriptor) => detectInPage(backend.id),
};

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The TF.js backends the demo offers, in the order they are tried and shown. */
export const TFJS_BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
export type TfjsBackend = (typeof TFJS_BACKENDS)[number];

export type Availability =
  | { readonly available: true; readonly detail: string }
  | { readonly available: false; readonly reason: string };

// The wasm binaries are copied next to the page by the build (vite.config.ts): no CDN.
setWasmPaths(new URL('./tfjs-wasm/', document.baseURI).href);

/** Why WebGPU cannot run here, or undefined when it can (navigator.gpu and an adapter). */
export async function webgpuUnavailable(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
  try {
    if (!(await gpu.requestAdapter()))
      return 'navigator.gpu found no adapter (no usable GPU; headless Chromium without one needs --enable-unsafe-webgpu)';
  } catch (error) {
    return `WebGPU adapter request failed: ${(error as Error).message}`;
  }
  return undefined;
}

/**
 * Initialises one backend and says whether it runs here. A backend that fails is reported with
 * its reason, never silently dropped.
 */
export async function probeBackend(name: TfjsBackend): Promise<Availability> {
  if (name === 'webgpu') {
    const missing = await webgpuUnavailable();
    if (missing) return { available: false, reason: missing };
  }
  try {
    if (!(await tf.setBackend(name)))
      return { available: false, reason: `tf.setBackend('${name}') could not initialise it` };
    await tf.ready();
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
  return { available: true, detail: describe(name) };
}

function describe(name: TfjsBackend): string {
  if (name === 'webgl') {
    const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}, ${float32 ? 'float32' : 'float16'} textures`;
  }
  if (name === 'wasm') {
    const threads = globalThis.crossOriginIsolated ? 'threads' : 'single thread';
    return `WebAssembly (${threads})`;
  }
  if (name === 'webgpu') return 'WebGPU';
  return 'plain JavaScript';
}

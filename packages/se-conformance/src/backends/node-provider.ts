import * as tf from '@tensorflow/tfjs-core';
import type { BackendProvider } from '../suite.js';
import { createOrtRunner } from './ort-runner.js';
import { ORT_VARIANTS } from './ort-variants.js';
import { firstLine } from './probe.js';
import { createTfjsRunner } from './tfjs-runner.js';
import type { BackendDescriptor, BackendRunner, Detection, NodeBackendKey } from './types.js';

type Loader = () => Promise<BackendRunner>;

/** CommonJS modules imported from ESM may put their exports on `default`. */
const namespaceOf = <T>(module: unknown): T => ((module as { default?: T }).default ?? module) as T;

type OrtModule = Parameters<typeof createOrtRunner>[0]['ort'];

/** Imports an optional peer, turning "not installed" into a reason a person can act on. */
async function optional(name: string, why: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Node says so by code; a bundler's or vitest's resolver only in words.
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (package|module)|Could not resolve|Failed to resolve/.test(String(error))
    )
      throw new Error(`${name} is not installed (${why})`);
    throw new Error(`${name} failed to load: ${firstLine(error)}`);
  }
}

const PEER = 'an optional peer of @seblock/se-conformance: install it to test this backend';
const TFJS_NODE_WHY =
  'optional peer; its install script downloads libtensorflow, so install it where that download is allowed';

/**
 * onnxruntime-node, with its native log limited to fatal messages: a provider that
 * fails to load (CUDA here) is reported as a skip reason from the thrown error, and
 * its native stderr line would only tear the progress bar. Set before any session.
 */
async function onnxruntimeNode(): Promise<OrtModule> {
  const ort = namespaceOf<OrtModule & { env: { logLevel?: string } }>(
    await optional('onnxruntime-node', PEER),
  );
  ort.env.logLevel = 'fatal';
  return ort;
}

const onnxruntimeWeb = async () => namespaceOf<OrtModule>(await optional('onnxruntime-web', PEER));

/** How each Node backend is created: the compiler refuses a Node row of the catalog without one. */
const NODE_LOADERS = {
  'tfjs-cpu': async () => {
    await optional('@tensorflow/tfjs-backend-cpu', PEER);
    return createTfjsRunner(tf, 'cpu');
  },
  'tfjs-wasm': async () => {
    await optional('@tensorflow/tfjs-backend-wasm', PEER);
    return createTfjsRunner(tf, 'wasm');
  },
  'tfjs-node': async () => {
    await optional('@tensorflow/tfjs-node', TFJS_NODE_WHY);
    return createTfjsRunner(tf, 'tensorflow', { binding: '@tensorflow/tfjs-node' });
  },
  'tfjs-node-gpu': async () => {
    await optional('@tensorflow/tfjs-node-gpu', `${TFJS_NODE_WHY}; it also needs CUDA`);
    return createTfjsRunner(tf, 'tensorflow', { binding: '@tensorflow/tfjs-node-gpu' });
  },
  'ort-node-cpu': async () =>
    createOrtRunner({
      runtime: 'node',
      executionProvider: 'cpu',
      ort: await onnxruntimeNode(),
      variants: ORT_VARIANTS['ort-node-cpu'],
    }),
  'ort-node-cuda': async () =>
    createOrtRunner({
      runtime: 'node',
      executionProvider: 'cuda',
      ort: await onnxruntimeNode(),
      variants: ORT_VARIANTS['ort-node-cuda'],
    }),
  'ort-web-wasm': async () =>
    createOrtRunner({
      runtime: 'web',
      executionProvider: 'wasm',
      ort: await onnxruntimeWeb(),
      variants: ORT_VARIANTS['ort-web-wasm'],
    }),
} as const satisfies Record<NodeBackendKey, Loader>;

/** Creates one Node backend's runner, or says why it cannot run here. */
export async function detectInNode(key: NodeBackendKey): Promise<Detection> {
  try {
    return { available: true, runner: await NODE_LOADERS[key]() };
  } catch (error) {
    return { available: false, reason: firstLine(error) };
  }
}

/** Detects and creates the backends that run inside this Node process. */
export const nodeProvider: BackendProvider = {
  async detect(backend: BackendDescriptor): Promise<Detection> {
    if (!Object.hasOwn(NODE_LOADERS, backend.key))
      return { available: false, reason: `${backend.key} is not a Node backend of the catalog` };
    return detectInNode(backend.key as NodeBackendKey);
  },
};

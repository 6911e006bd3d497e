import * as tf from '@tensorflow/tfjs-core';
import type { BackendProvider } from '../suite.js';
import { createOrtRunner } from './ort-runner.js';
import { firstLine } from './probe.js';
import { createTfjsRunner } from './tfjs-runner.js';
import type { BackendDescriptor, BackendId, BackendRunner, Detection } from './types.js';

type Loader = () => Promise<BackendRunner>;

/** CommonJS modules imported from ESM may put their exports on `default`. */
const namespaceOf = <T>(module: unknown): T => ((module as { default?: T }).default ?? module) as T;

type OrtModule = Parameters<typeof createOrtRunner>[0]['ort'];

/** Imports an optional package, turning "not installed" into a reason a person can act on. */
async function optional(name: string, why: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new Error(`${name} is not installed (${why})`);
    throw new Error(`${name} failed to load: ${firstLine(error)}`);
  }
}

/**
 * onnxruntime-node, with its native log limited to fatal messages: a provider that
 * fails to load (CUDA here) is reported as a skip reason from the thrown error, and
 * its native stderr line would only tear the progress bar. Set before any session.
 */
async function onnxruntimeNode(): Promise<OrtModule> {
  const ort = namespaceOf<OrtModule & { env: { logLevel?: string } }>(
    await import('onnxruntime-node'),
  );
  ort.env.logLevel = 'fatal';
  return ort;
}

const TFJS_NODE_WHY =
  'optional peer; its install script downloads libtensorflow, so install it where that download is allowed';

const LOADERS: Partial<Record<BackendId, Loader>> = {
  'tfjs-cpu': async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    return createTfjsRunner(tf, 'cpu');
  },
  'tfjs-wasm': async () => {
    await import('@tensorflow/tfjs-backend-wasm');
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
    createOrtRunner({ runtime: 'node', executionProvider: 'cpu', ort: await onnxruntimeNode() }),
  'ort-node-cuda': async () =>
    createOrtRunner({ runtime: 'node', executionProvider: 'cuda', ort: await onnxruntimeNode() }),
  'ort-web-wasm': async () =>
    createOrtRunner({
      runtime: 'web',
      executionProvider: 'wasm',
      ort: namespaceOf<OrtModule>(await import('onnxruntime-web')),
    }),
};

/** Detects and creates the backends that run inside this Node process. */
export const nodeProvider: BackendProvider = {
  async detect(backend: BackendDescriptor): Promise<Detection> {
    const load = LOADERS[backend.id];
    if (backend.runtime !== 'node' || !load)
      return { available: false, reason: `${backend.key} does not run in Node` };
    try {
      return { available: true, runner: await load() };
    } catch (error) {
      return { available: false, reason: firstLine(error) };
    }
  },
};

import type { BuildSEModelOptions, SessionOptions } from '@seblock/se-onnxruntime';
import type { BackendKey } from './types.js';

/** How createSESession writes and opens the block for one named run. */
export type OrtVariant = Pick<
  SessionOptions & BuildSEModelOptions,
  'graphOptimizationLevel' | 'fullyConnected' | 'squeezeOp' | 'opset' | 'layout' | 'asFunction'
>;

/** The onnxruntime rows of the catalog. */
export type OrtBackendKey = Extract<BackendKey, `ort-${string}`>;

/** What a user gets: the forms createSESession picks for the execution provider. */
const SESSION_FORMS = { 'session forms': {} } as const satisfies Record<string, OrtVariant>;

/**
 * The named runs of each onnxruntime backend, the first being the default: the session's own
 * forms, then the other ways of writing the block that matter on that execution provider
 * (the plain graph and the function form, each operator choice, both layouts, opsets where
 * an operator changed, onnxruntime's optimiser on and off). These are the runs
 * se-onnxruntime's own golden harness made before it moved here.
 */
export const ORT_VARIANTS = {
  'ort-node-cpu': {
    ...SESSION_FORMS,
    'function form': { asFunction: true },
    'optimisation disabled': { graphOptimizationLevel: 'disabled' },
    'gemm + reduce': { fullyConnected: 'gemm', squeezeOp: 'reduce' },
    'matmul, opset 18': { fullyConnected: 'matmul', opset: 18 },
    NHWC: { layout: 'NHWC' },
  },
  'ort-node-cuda': SESSION_FORMS,
  'ort-web-wasm': {
    ...SESSION_FORMS,
    'function form': { asFunction: true },
    'gemm, opset 20': { fullyConnected: 'gemm', opset: 20 },
  },
  'ort-web-wasm@browser': {
    ...SESSION_FORMS,
    'gemm + reduce, opset 18': { fullyConnected: 'gemm', squeezeOp: 'reduce', opset: 18 },
  },
  'ort-web-webgpu': {
    ...SESSION_FORMS,
    matmul: { fullyConnected: 'matmul' },
    // ReduceMean over axes [1, 2] as an input (webgpu's shared reduce kernel transposes).
    NHWC: { layout: 'NHWC' },
  },
  // createSESession writes MatMul layers and a polynomial erf for webgl (no Erf operator, and
  // its packed 1x1 Conv does not compile): its own forms are the only ones that run there.
  'ort-web-webgl': SESSION_FORMS,
} as const satisfies Record<OrtBackendKey, Readonly<Record<string, OrtVariant>>>;

export const DEFAULT_ORT_VARIANTS: Readonly<Record<string, OrtVariant>> = SESSION_FORMS;

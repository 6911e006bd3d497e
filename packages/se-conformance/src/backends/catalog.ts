import { ORT_VARIANTS } from './ort-variants.js';
import { TFJS_VARIANTS } from './tfjs-variants.js';
import type { BackendDescriptor, BackendId, BackendKey, RuntimeKind } from './types.js';
import { variantNames } from './variants.js';

/** A catalog row: its key is one of {@link BackendKey}. */
export interface CatalogEntry extends BackendDescriptor {
  readonly key: BackendKey;
}

const entry = <K extends BackendKey>(
  key: K,
  id: BackendId,
  runtime: RuntimeKind,
  adapter: BackendDescriptor['adapter'],
  device: BackendDescriptor['device'],
  description: string,
): CatalogEntry & { readonly key: K } => ({
  key,
  id,
  runtime,
  adapter,
  device,
  precision: 'float32',
  description,
});

const TFJS = '@seblock/se-tfjs';
const ORT = '@seblock/se-onnxruntime';

/**
 * Every backend the suite knows, in report order. Checked by the compiler: a key of
 * {@link BackendKey} missing here (or here but not in the union) does not compile, and
 * neither does a loader table or variant table that misses one.
 */
export const BACKEND_CATALOG = {
  'tfjs-cpu': entry(
    'tfjs-cpu',
    'tfjs-cpu',
    'node',
    TFJS,
    'cpu',
    'TF.js cpu backend (plain JavaScript)',
  ),
  'tfjs-wasm': entry(
    'tfjs-wasm',
    'tfjs-wasm',
    'node',
    TFJS,
    'wasm',
    'TF.js wasm backend (XNNPACK, SIMD)',
  ),
  'tfjs-node': entry(
    'tfjs-node',
    'tfjs-node',
    'node',
    TFJS,
    'cpu',
    'TF.js on libtensorflow CPU (@tensorflow/tfjs-node)',
  ),
  'tfjs-node-gpu': entry(
    'tfjs-node-gpu',
    'tfjs-node-gpu',
    'node',
    TFJS,
    'gpu',
    'TF.js on libtensorflow CUDA (@tensorflow/tfjs-node-gpu)',
  ),
  'ort-node-cpu': entry(
    'ort-node-cpu',
    'ort-node-cpu',
    'node',
    ORT,
    'cpu',
    'onnxruntime-node, CPU execution provider',
  ),
  'ort-node-cuda': entry(
    'ort-node-cuda',
    'ort-node-cuda',
    'node',
    ORT,
    'gpu',
    'onnxruntime-node, CUDA execution provider',
  ),
  'ort-web-wasm': entry(
    'ort-web-wasm',
    'ort-web-wasm',
    'node',
    ORT,
    'wasm',
    'onnxruntime-web, wasm execution provider, in Node',
  ),
  'tfjs-webgl': entry(
    'tfjs-webgl',
    'tfjs-webgl',
    'browser',
    TFJS,
    'gpu',
    'TF.js webgl backend in Chromium',
  ),
  'tfjs-webgpu': entry(
    'tfjs-webgpu',
    'tfjs-webgpu',
    'browser',
    TFJS,
    'gpu',
    'TF.js webgpu backend in Chromium',
  ),
  'ort-web-wasm@browser': entry(
    'ort-web-wasm@browser',
    'ort-web-wasm',
    'browser',
    ORT,
    'wasm',
    'onnxruntime-web, wasm execution provider, in Chromium',
  ),
  'ort-web-webgpu': entry(
    'ort-web-webgpu',
    'ort-web-webgpu',
    'browser',
    ORT,
    'gpu',
    'onnxruntime-web, WebGPU execution provider, in Chromium',
  ),
  'ort-web-webgl': entry(
    'ort-web-webgl',
    'ort-web-webgl',
    'browser',
    ORT,
    'gpu',
    'onnxruntime-web, WebGL execution provider (static shapes), in Chromium',
  ),
} as const satisfies { readonly [K in BackendKey]: CatalogEntry & { readonly key: K } };

/** The full backend list, in report order. */
export const BACKENDS: readonly CatalogEntry[] = Object.values(BACKEND_CATALOG);

/** The catalog rows that run in `runtime`. */
export function backendsIn(runtime: RuntimeKind): readonly CatalogEntry[] {
  return BACKENDS.filter((b) => b.runtime === runtime);
}

/** Looks up backends by id or key; unknown names are returned separately so the CLI can name them. */
export function selectBackends(names: readonly string[] | undefined): {
  selected: CatalogEntry[];
  unknown: string[];
} {
  if (!names || names.length === 0) return { selected: [...BACKENDS], unknown: [] };
  const unknown: string[] = [];
  const selected = new Set<CatalogEntry>();
  for (const name of names) {
    const matches = BACKENDS.filter((b) => b.id === name || b.key === name);
    if (matches.length === 0) unknown.push(name);
    for (const m of matches) selected.add(m);
  }
  return { selected: BACKENDS.filter((b) => selected.has(b)), unknown };
}

type VariantTable = Readonly<Record<string, unknown>>;
const TFJS_ROWS = TFJS_VARIANTS satisfies VariantTable;

/**
 * The named runs of every backend (BackendRunner.variants), known before any backend loads,
 * so a test suite can declare one test per backend and variant. A TF.js backend without a
 * fused kernel (tfjs-node) offers only the composed ones when it runs.
 */
export const BACKEND_VARIANTS = {
  'tfjs-cpu': TFJS_ROWS,
  'tfjs-wasm': TFJS_ROWS,
  'tfjs-node': TFJS_ROWS,
  'tfjs-node-gpu': TFJS_ROWS,
  'tfjs-webgl': TFJS_ROWS,
  'tfjs-webgpu': TFJS_ROWS,
  ...ORT_VARIANTS,
} as const satisfies Record<BackendKey, VariantTable>;

/** The variant names of one catalog row, its default first. */
export function variantsOf(key: BackendKey): [string, ...string[]] {
  return variantNames(BACKEND_VARIANTS[key]);
}

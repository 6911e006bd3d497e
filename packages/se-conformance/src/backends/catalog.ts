import type { BackendDescriptor, BackendId, RuntimeKind } from './types.js';

type Entry = Omit<BackendDescriptor, 'key'>;

const entry = (
  id: BackendId,
  runtime: RuntimeKind,
  adapter: Entry['adapter'],
  device: Entry['device'],
  description: string,
): BackendDescriptor => ({
  key: runtime === 'browser' && id === 'ort-web-wasm' ? 'ort-web-wasm@browser' : id,
  id,
  runtime,
  adapter,
  device,
  precision: 'float32',
  description,
});

/** The full backend list, in report order. */
export const BACKENDS: readonly BackendDescriptor[] = [
  entry('tfjs-cpu', 'node', '@seblock/se-tfjs', 'cpu', 'TF.js cpu backend (plain JavaScript)'),
  entry('tfjs-wasm', 'node', '@seblock/se-tfjs', 'wasm', 'TF.js wasm backend (XNNPACK, SIMD)'),
  entry(
    'tfjs-node',
    'node',
    '@seblock/se-tfjs',
    'cpu',
    'TF.js on libtensorflow CPU (@tensorflow/tfjs-node)',
  ),
  entry(
    'tfjs-node-gpu',
    'node',
    '@seblock/se-tfjs',
    'gpu',
    'TF.js on libtensorflow CUDA (@tensorflow/tfjs-node-gpu)',
  ),
  entry(
    'ort-node-cpu',
    'node',
    '@seblock/se-onnxruntime',
    'cpu',
    'onnxruntime-node, CPU execution provider',
  ),
  entry(
    'ort-node-cuda',
    'node',
    '@seblock/se-onnxruntime',
    'gpu',
    'onnxruntime-node, CUDA execution provider',
  ),
  entry(
    'ort-web-wasm',
    'node',
    '@seblock/se-onnxruntime',
    'wasm',
    'onnxruntime-web, wasm execution provider, in Node',
  ),
  entry('tfjs-webgl', 'browser', '@seblock/se-tfjs', 'gpu', 'TF.js webgl backend in Chromium'),
  entry('tfjs-webgpu', 'browser', '@seblock/se-tfjs', 'gpu', 'TF.js webgpu backend in Chromium'),
  entry(
    'ort-web-wasm',
    'browser',
    '@seblock/se-onnxruntime',
    'wasm',
    'onnxruntime-web, wasm execution provider, in Chromium',
  ),
  entry(
    'ort-web-webgpu',
    'browser',
    '@seblock/se-onnxruntime',
    'gpu',
    'onnxruntime-web, WebGPU execution provider, in Chromium',
  ),
  entry(
    'ort-web-webgl',
    'browser',
    '@seblock/se-onnxruntime',
    'gpu',
    'onnxruntime-web, WebGL execution provider (static shapes), in Chromium',
  ),
];

/** Looks up backends by id or key; unknown names are returned separately so the CLI can name them. */
export function selectBackends(names: readonly string[] | undefined): {
  selected: BackendDescriptor[];
  unknown: string[];
} {
  if (!names || names.length === 0) return { selected: [...BACKENDS], unknown: [] };
  const unknown: string[] = [];
  const selected = new Set<BackendDescriptor>();
  for (const name of names) {
    const matches = BACKENDS.filter((b) => b.id === name || b.key === name);
    if (matches.length === 0) unknown.push(name);
    for (const m of matches) selected.add(m);
  }
  return { selected: BACKENDS.filter((b) => selected.has(b)), unknown };
}

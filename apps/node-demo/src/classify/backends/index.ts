import type { BackendId } from './ids.js';
import { ortNode, ortWeb } from './ort.js';
import { tfjsCpu, tfjsWasm } from './tfjs.js';
import type { Backend } from './types.js';

export { BACKEND_IDS, type BackendId } from './ids.js';
export type { Backend, LoadedNetwork } from './types.js';

const BACKENDS: Readonly<Record<BackendId, Backend>> = {
  'tfjs-cpu': tfjsCpu,
  'tfjs-wasm': tfjsWasm,
  'ort-node': ortNode,
  'ort-web': ortWeb,
};

/** The backends with these ids, in that order. */
export const backendsFor = (ids: readonly BackendId[]): Backend[] => ids.map((id) => BACKENDS[id]);

/** The backends `se-demo classify` runs, in order. */
export const BACKEND_IDS = ['tfjs-cpu', 'tfjs-wasm', 'ort-node', 'ort-web'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

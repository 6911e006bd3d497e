import type { ExecutionProvider } from './types.js';

// onnxruntime-web's webgl backend (its older engine) needs workarounds, measured on 1.30 with
// the golden cases; createSESession and every session apply them.

export function usesWebgl(executionProviders: readonly ExecutionProvider[]): boolean {
  return executionProviders.some(
    (ep) => ep === 'webgl' || (typeof ep === 'object' && ep !== null && ep.name === 'webgl'),
  );
}

/**
 * webgl reads env.webgl.pack when its backend starts; left undefined it becomes false
 * (unpacked), which miscomputes 1-channel SE blocks (off by up to 0.94 with every FC form;
 * packed mode gets every case right with MatMul or Gemm). Only an unset value is changed:
 * a caller's explicit choice stands.
 */
export function preferPackedWebgl(
  ort: object,
  executionProviders: readonly ExecutionProvider[],
): void {
  const env = (ort as { env?: { webgl?: { pack?: boolean } } }).env;
  if (usesWebgl(executionProviders) && env?.webgl && typeof env.webgl.pack !== 'boolean')
    env.webgl.pack = true;
}

/** webgl rejects symbolic dims ("expected shape '[,64,,]'"): a model per input shape then. */
export function needsStaticShapes(
  executionProviders: readonly ExecutionProvider[],
  dims: readonly unknown[],
): boolean {
  return usesWebgl(executionProviders) && dims.some((d) => typeof d !== 'number');
}

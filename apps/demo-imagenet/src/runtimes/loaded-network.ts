/** A network loaded on one backend, ready to classify. */
export interface LoadedNetwork {
  /** One forward pass: the NCHW image in, the logits out (read back to JavaScript). */
  run(input: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /** Frees the model (weights, session), so the next backend has the memory. */
  dispose(): Promise<void>;
}

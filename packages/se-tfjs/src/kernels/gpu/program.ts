/**
 * One GPU program, written once for both dialects: one invocation per output element, its
 * coordinates in `coords[0…rank-1]`. webgl.ts and webgpu.ts wrap it into their backend's
 * program contract (a fragment program, a compute program).
 */
export interface ElementProgram {
  /** What the program does, for the shader cache key (the source is part of it too). */
  readonly key: string;
  /** Input names, in the order of the tensors passed; read with get<Name>(…). */
  readonly inputs: readonly string[];
  readonly outputShape: readonly number[];
  /** Functions declared before main. */
  readonly functions: string;
  /** Statements for one output element, before `value`. */
  readonly body: string;
  /** The output element. */
  readonly value: string;
}

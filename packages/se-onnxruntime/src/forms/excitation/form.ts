import type { ExcitationKindName, KindBlock, SEWeights } from '@seblock/se-core';
import { weightSlots } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { ErfForm } from '../activation/form.js';
import type { FullyConnectedOp } from '../dense/registry.js';
import type { Matched } from '../match.js';
import type { NaNGuard } from '../nan-guard.js';
import type { Vector, VectorShape } from '../vector.js';

/** The build options that decide how excitations are written. */
export interface ExcitationChoice {
  readonly fullyConnected: FullyConnectedOp;
  readonly erf: ErfForm;
  /** Whether activations (and gates, block.ts) carry NaN guards. */
  readonly nanGuard: NaNGuard;
}

/** An excitation read back from a graph: what se-core needs to make it a block again. */
export interface ExcitationMatch {
  /** The excitation as se-core's spec parser takes it: `{ kind, ...fields }`. */
  readonly excitation: { readonly kind: ExcitationKindName } & Readonly<Record<string, unknown>>;
  /** Undefined when the weights do not fix it (eca): the block's input x then tells. */
  readonly channels?: number;
  /** Canonical layout, by se-core weight key. */
  readonly weights: SEWeights;
  /** Initializer name of the kind's first weight: `<module>.fc1.weight` names the block. */
  readonly weightName: string;
  /** The build options that write this excitation this way again. */
  readonly form: Partial<ExcitationChoice>;
}

/**
 * How one excitation kind maps ONE descriptor to logits in ONNX, and how that is recognised:
 * emit and match side by side, so extractSE reads back exactly what buildSEModel writes.
 * The squeeze, the sum over descriptors, the gate and the scale are the block's (block.ts).
 */
export interface ExcitationForm<K extends ExcitationKindName> {
  /** The options that change how this kind is written, besides nanGuard, which touches every kind. */
  readonly options: readonly Exclude<keyof ExcitationChoice, 'nanGuard'>[];
  /** The shape the descriptor must have for these options (undefined: any). */
  wants(choice: ExcitationChoice): VectorShape | undefined;
  /** The logits of descriptor `d`, in `d`'s shape. Weights go through `sink.weight`. */
  emit(sink: GraphSink, d: Vector, block: KindBlock<K>, choice: ExcitationChoice): Vector;
  /** The excitation producing the logits `tensor`; `input` is the descriptor it reads. */
  match(index: GraphIndex, tensor: string): Matched<ExcitationMatch> | undefined;
}

/** The se-core tensor name of weight `key` of a block (`fc1Weight` → `fc1.weight`). */
export function tensorName(block: Pick<KindBlock, 'spec'>, key: string): string {
  const slot = weightSlots(block.spec).find((s) => s.key === key);
  if (!slot) throw new Error(`kind ${block.spec.excitation.kind} has no weight ${key}`);
  return slot.tensor;
}

import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';

/** How exact GELU's erf is written: the Erf op, or an approximation from elementary ops. */
export type ErfForm = 'op' | 'polynomial';
export const ERF_FORMS: readonly ErfForm[] = ['op', 'polynomial'];

/** What a matched activation tells about how it was written (for GELU: its erf form). */
export interface ActivationFormMatch {
  readonly erf?: ErfForm;
}

/**
 * One activation between the two dense layers: how it is written (emit, following PyTorch's
 * CPU kernels operation by operation) and every way it is recognised (match: ours and the
 * exporters'), in one module so extractSE reads back exactly what buildSEModel writes.
 */
export interface ActivationForm {
  emit(sink: GraphSink, z: string, erf: ErfForm): string;
  match(index: GraphIndex, tensor: string): Matched<ActivationFormMatch> | undefined;
}

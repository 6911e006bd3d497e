// The ONE place the network builder reaches into the SE emitter: ../forms (each stage's ONNX
// form), ../graph (the builder and sink) and ../build (options, model header helpers). When
// those move, only this file changes.
import type { SEBlock } from '@seblock/se-core';
import {
  type ErfForm,
  type FullyConnectedOp,
  type NaNGuard,
  resolveGraphOptions,
  type SqueezeOp,
} from '../build/options.js';
import { emitActivation } from '../forms/activation/registry.js';
import { emitSE } from '../forms/block.js';
import { emitGate } from '../forms/gate/registry.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import type { NameAllocator } from '../proto/names.js';
import type { NodeProto, TensorProto } from '../proto/onnx.js';

export {
  type DimSpec,
  dim,
  irVersionFor,
  PRODUCER_NAME,
  tensorInfo,
} from '../build/build-model.js';
export { checkOpset, DEFAULT_OPSET } from '../build/options.js';
export { recordNode } from '../graph/sink.js';

/** How the SE blocks and GELU are written (the networks run NCHW inside, whatever the input). */
export interface SEForm {
  readonly fullyConnected: FullyConnectedOp;
  readonly squeezeOp: SqueezeOp;
  readonly erf: ErfForm;
  /** NaN guards in the SE blocks (SEGraphOptions.nanGuard). */
  readonly nanGuard: NaNGuard;
}

/** The SE emitter's defaults and checks, for NCHW feature maps. */
export function resolveSEForm(options: Partial<SEForm>, opset: number, field = 'options'): SEForm {
  const { fullyConnected, squeezeOp, erf, nanGuard } = resolveGraphOptions(
    { ...options, layout: 'NCHW' },
    opset,
    field,
  );
  return { fullyConnected, squeezeOp, erf, nanGuard };
}

/** Where emitted nodes and initializers go, in order (the graph's node list is topological). */
export interface GraphTarget {
  readonly names: NameAllocator;
  readonly opset: number;
  readonly nodes: NodeProto[];
  readonly initializers: TensorProto[];
}

/**
 * Runs `emit` on a builder whose node names start with `prefix/` and whose learned tensors are
 * `prefix.fc1.weight`, … (so an SE block at module `layer1.0.se` gets PyTorch's own names),
 * then moves what it wrote into the target.
 */
function withBuilder(target: GraphTarget, prefix: string, emit: (g: GraphBuilder) => string) {
  const builder = new GraphBuilder(target.names, prefix, target.opset);
  const output = emit(builder);
  target.nodes.push(...builder.nodes);
  target.initializers.push(...builder.initializers);
  return output;
}

/**
 * One SE block on NCHW `x`, written by this package's SE emitter; returns its output.
 * `expandScaleTo` ([H, W] of x) expands the channel weights before the scale (forms/scale.ts).
 */
export function emitSEBlock(
  target: GraphTarget,
  x: string,
  module: string,
  block: SEBlock,
  form: SEForm,
  expandScaleTo?: readonly [number, number],
): string {
  return withBuilder(target, module, (g) =>
    emitSE(g, x, block, { ...form, layout: 'NCHW', expandScaleTo }),
  );
}

/**
 * An elementwise activation with the SE emitter's writers: SiLU as `z·Sigmoid(z)`, relu6 as
 * Clip(0, 6), exact GELU (Erf, or Gelu from opset 20; the polynomial erf on request), Relu,
 * Sigmoid. No NaN guards: the feature maps' convolutions make no NaN promise, the SE blocks
 * (SPEC.md's NaN semantics) carry their own. (Hard-swish and hard-sigmoid feature maps are
 * written as ONNX ops by the caller: see emit-nodes.ts.)
 */
export function emitNetworkActivation(
  target: GraphTarget,
  x: string,
  id: string,
  kind: 'relu' | 'relu6' | 'silu' | 'gelu' | 'sigmoid',
  erf: ErfForm,
): string {
  return withBuilder(target, id, (g) =>
    kind === 'sigmoid'
      ? emitGate(g, x, { type: 'sigmoid' }, 'max')
      : emitActivation(g, x, kind, erf, 'max'),
  );
}

// The ONE place the network builder reaches into ../build (the SE emitter and its activation
// writers). ../build is due to be restructured; when it is, only this file changes.
import type { SEBlock } from '@seblock/se-core';
import { emitActivation, emitGate } from '../build/activations.js';
import { emitSE } from '../build/emit-se.js';
import { GraphBuilder } from '../build/graph-builder.js';
import {
  type ErfForm,
  type FullyConnectedOp,
  resolveGraphOptions,
  type SqueezeOp,
} from '../build/options.js';
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
export { recordNode } from '../build/sink.js';

/** How the SE blocks and GELU are written (the networks run NCHW inside, whatever the input). */
export interface SEForm {
  readonly fullyConnected: FullyConnectedOp;
  readonly squeezeOp: SqueezeOp;
  readonly erf: ErfForm;
}

/** The SE emitter's defaults and checks, for NCHW feature maps. */
export function resolveSEForm(options: Partial<SEForm>, opset: number, field = 'options'): SEForm {
  const { fullyConnected, squeezeOp, erf } = resolveGraphOptions(
    { ...options, layout: 'NCHW' },
    opset,
    field,
  );
  return { fullyConnected, squeezeOp, erf };
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

/** One SE block on NCHW `x`, written by this package's SE emitter; returns its output. */
export function emitSEBlock(
  target: GraphTarget,
  x: string,
  module: string,
  block: SEBlock,
  form: SEForm,
): string {
  return withBuilder(target, module, (g) => emitSE(g, x, block, { ...form, layout: 'NCHW' }));
}

/**
 * An elementwise activation with the SE emitter's writers: SiLU as `z·Sigmoid(z)`, relu6 as
 * Clip(0, 6), exact GELU (Erf, or Gelu from opset 20; the polynomial erf on request), Relu,
 * Sigmoid. (Hard-swish and hard-sigmoid feature maps are written as ONNX ops by the caller:
 * see emit-nodes.ts.)
 */
export function emitNetworkActivation(
  target: GraphTarget,
  x: string,
  id: string,
  kind: 'relu' | 'relu6' | 'silu' | 'gelu' | 'sigmoid',
  erf: ErfForm,
): string {
  return withBuilder(target, id, (g) =>
    kind === 'sigmoid' ? emitGate(g, x, { type: 'sigmoid' }) : emitActivation(g, x, kind, erf),
  );
}

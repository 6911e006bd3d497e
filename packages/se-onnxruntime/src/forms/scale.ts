import { type GraphSink, op } from '../graph/sink.js';
import { stringAttribute } from '../proto/attributes.js';
import type { GraphIndex } from '../proto/graph-index.js';
import type { NodeProto } from '../proto/onnx.js';
import { floatTensor, readFloatTensor } from '../proto/tensors.js';
import { producerOf } from './match.js';

// The scale, y = x · e (SPEC.md, "The block"), and its two forms:
// - broadcast: Mul of x by e [N, C, 1, 1] (or [N, 1, 1, C]);
// - expanded: e first copied to x's full H×W by a nearest-neighbour Resize with constant
//   scales [1, 1, H, W], then Mul of two equal shapes. Same products, bit for bit. It exists
//   for onnxruntime's CPU EP, whose NCHWc layout transformer keeps a Mul only when both inputs
//   have the same shape, and keeps Resize only in this exact form (nearest, asymmetric, floor,
//   scales given, roi empty): with it the block, the residual Add and the ReLU stay in the
//   blocked layout, and no reorder is left around the block (docs/performance.md). It needs
//   H and W when the graph is written, so NCHW with fixed spatial dims only.

/** Spatial size [H, W] of x, when e is to be expanded to it; undefined to broadcast. */
export type ScaleExpansion = readonly [number, number] | undefined;

const NEAREST = {
  mode: 'nearest',
  coordinate_transformation_mode: 'asymmetric',
  nearest_mode: 'floor',
} as const;

/** Writes y = x · e, e [N, C, 1, 1] broadcast or expanded to `expandTo` (NCHW); returns y. */
export function emitScale(
  sink: GraphSink,
  x: string,
  e: string,
  expandTo: ScaleExpansion,
  outputName?: string,
): string {
  const operand = expandTo
    ? op(
        sink,
        'Resize',
        [e, '', sink.constant('scale_expand_scales', floatTensor('', [4], [1, 1, ...expandTo]))],
        'scale_expand',
        NEAREST,
      )
    : e;
  return sink.node(
    'Mul',
    [x, operand],
    'scale',
    undefined,
    outputName ? [outputName] : undefined,
  )[0] as string;
}

/** A constant float tensor's values, or undefined (not a constant, not float). */
function constantFloats(index: GraphIndex, name: string): Float32Array | Float64Array | undefined {
  const tensor = index.constant(name);
  try {
    const values = tensor && readFloatTensor(tensor, 'scales');
    return values?.length === 4 ? values : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When `e` is an expanded scale operand (the Resize emitScale writes: nearest, asymmetric,
 * floor, no roi, constant scales [1, 1, h, w] with whole h and w), the vector it expands, with
 * the Resize appended to `nodes`; otherwise `e` itself.
 */
export function skipScaleExpansion(index: GraphIndex, e: string, nodes: NodeProto[]): string {
  const resize = producerOf(index, e, ['Resize']);
  const [vector, roi, scalesName] = resize?.input ?? [];
  if (!resize || !vector || roi || !scalesName || (resize.input?.length ?? 0) !== 3) return e;
  if (Object.entries(NEAREST).some(([k, v]) => stringAttribute(resize, k) !== v)) return e;
  const [n, c, h, w] = constantFloats(index, scalesName) ?? [];
  const spatial = [h, w].every((s) => s !== undefined && Number.isInteger(s) && s >= 1);
  if (n !== 1 || c !== 1 || !spatial) return e;
  nodes.push(resize);
  return vector;
}

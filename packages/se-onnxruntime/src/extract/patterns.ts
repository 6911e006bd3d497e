// Backward pattern matchers for the pieces of an SE block. Each takes the tensor a
// piece produces and returns what it computes plus the tensor it reads, or
// undefined when the producers do not have that shape. They accept our own forms
// and the ones exporters write (PyTorch, tf2onnx), see extract-se.ts.
import type { Activation, Gate, Layout } from '@seblock/se-core';
import {
  floatAttribute,
  intAttribute,
  intsAttribute,
  stringAttribute,
} from '../proto/attributes.js';
import type { GraphIndex } from '../proto/graph-index.js';
import type { NodeProto } from '../proto/onnx.js';
import { readFloatTensor, readIntTensor, tensorDims } from '../proto/tensors.js';
import { snap } from './snap.js';

export interface Matched<T> {
  readonly value: T;
  /** The tensor this piece reads. */
  readonly input: string;
  readonly nodes: readonly NodeProto[];
}

export function producerOf(
  index: GraphIndex,
  tensor: string,
  opTypes: readonly string[],
): NodeProto | undefined {
  const node = index.producers.get(tensor)?.node;
  if (!node || (node.domain && node.domain !== 'ai.onnx')) return undefined;
  return opTypes.includes(node.opType ?? '') ? node : undefined;
}

/** A scalar (or single-element) float constant feeding a node. */
export function scalarConstant(index: GraphIndex, tensor: string | undefined): number | undefined {
  if (!tensor) return undefined;
  const t = index.constant(tensor);
  if (!t) return undefined;
  try {
    const values = readFloatTensor(t, 'constant');
    return values.length === 1 ? (values[0] as number) : undefined;
  } catch {
    return undefined;
  }
}

/** For a binary op, the non-constant operand and the scalar constant, in either order. */
function splitScalar(
  index: GraphIndex,
  node: NodeProto,
): { other: string; value: number } | undefined {
  const [a, b] = node.input ?? [];
  if (!a || !b) return undefined;
  const vb = scalarConstant(index, b);
  if (vb !== undefined && index.constant(a) === undefined) return { other: a, value: vb };
  const va = scalarConstant(index, a);
  if (
    va !== undefined &&
    index.constant(b) === undefined &&
    node.opType !== 'Div' &&
    node.opType !== 'Sub'
  )
    return { other: b, value: va };
  return undefined;
}

/** Clip bounds from inputs (opset >= 11) or attributes (older). */
function clipBounds(index: GraphIndex, node: NodeProto): [number, number] | undefined {
  const [, lo, hi] = node.input ?? [];
  const min = lo
    ? scalarConstant(index, lo)
    : floatAttribute(node, 'min', Number.NEGATIVE_INFINITY);
  const max = hi
    ? scalarConstant(index, hi)
    : floatAttribute(node, 'max', Number.POSITIVE_INFINITY);
  return min === undefined || max === undefined ? undefined : [min, max];
}

/** Skips ops that only reshape: Unsqueeze, Reshape, Flatten, Squeeze, Transpose, Identity. */
export function skipShapeOps(index: GraphIndex, tensor: string, nodes: NodeProto[]): string {
  let t = tensor;
  for (let i = 0; i < 8; i++) {
    const node = producerOf(index, t, [
      'Unsqueeze',
      'Reshape',
      'Flatten',
      'Squeeze',
      'Transpose',
      'Identity',
    ]);
    if (!node?.input?.[0]) return t;
    nodes.push(node);
    t = node.input[0];
  }
  return t;
}

/** sigmoid, HardSigmoid(alpha, beta), clamp((z + b/a) / (1/a), 0, 1), clamp(a z + b, 0, 1), relu6(z + 3) / 6. */
export function matchGate(index: GraphIndex, tensor: string): Matched<Gate> | undefined {
  const sigmoid = producerOf(index, tensor, ['Sigmoid']);
  if (sigmoid?.input?.[0])
    return { value: { type: 'sigmoid' }, input: sigmoid.input[0], nodes: [sigmoid] };
  const hard = producerOf(index, tensor, ['HardSigmoid']);
  if (hard?.input?.[0]) {
    // ONNX's defaults apply when the attributes are absent: 0.2 and 0.5.
    const a32 = Math.fround(floatAttribute(hard, 'alpha', 0.2));
    const b32 = Math.fround(floatAttribute(hard, 'beta', 0.5));
    return {
      value: { type: 'hardsigmoid', alpha: snap(a32), beta: snap(b32) },
      input: hard.input[0],
      nodes: [hard],
    };
  }
  const clip = producerOf(index, tensor, ['Clip']);
  const bounds = clip && clipBounds(index, clip);
  if (clip?.input?.[0] && bounds) {
    const [lo, hi] = bounds;
    if (lo === 0 && hi === 1) return matchAffineGate(index, clip.input[0], [clip]);
    return undefined;
  }
  // relu6(z + c) / m or relu6(z + c) * k: the tf2onnx / Keras form.
  const outer = producerOf(index, tensor, ['Div', 'Mul']);
  const scalar = outer && splitScalar(index, outer);
  const inner = scalar && producerOf(index, scalar.other, ['Clip']);
  const innerBounds = inner && clipBounds(index, inner);
  const shift = inner?.input?.[0] ? producerOf(index, inner.input[0], ['Add']) : undefined;
  const offset = shift && splitScalar(index, shift);
  if (outer && scalar && inner && innerBounds && innerBounds[0] === 0 && offset) {
    const k = outer.opType === 'Div' ? 1 / scalar.value : scalar.value;
    if (Math.abs(k * innerBounds[1] - 1) > 1e-6) return undefined;
    const alpha = snap(
      k,
      (a) => Math.fround(outer.opType === 'Div' ? 1 / a : a) === Math.fround(scalar.value),
    );
    return {
      value: { type: 'hardsigmoid', alpha, beta: snap(offset.value * alpha) },
      input: offset.other,
      nodes: [outer, inner, shift],
    };
  }
  return undefined;
}

/** The inside of clamp(·, 0, 1): (z + o) / d, (z + o) * k, or z * a + b. */
function matchAffineGate(
  index: GraphIndex,
  tensor: string,
  nodes: NodeProto[],
): Matched<Gate> | undefined {
  const scale = producerOf(index, tensor, ['Div', 'Mul']);
  const s = scale && splitScalar(index, scale);
  if (scale && s) {
    const shift = producerOf(index, s.other, ['Add']);
    const o = shift && splitScalar(index, shift);
    if (shift && o) {
      // (z + o) / d  → alpha = 1/d, beta = o/d (our own form), or (z + o) * k.
      const d32 = Math.fround(s.value);
      const o32 = Math.fround(o.value);
      const isDiv = scale.opType === 'Div';
      const alpha = snap(
        isDiv ? 1 / s.value : s.value,
        (a) => Math.fround(isDiv ? 1 / a : a) === d32,
      );
      const beta = snap(o.value * alpha, (b) => Math.fround(b / alpha) === o32);
      return {
        value: { type: 'hardsigmoid', alpha, beta },
        input: o.other,
        nodes: [...nodes, scale, shift],
      };
    }
  }
  const add = producerOf(index, tensor, ['Add']);
  const b = add && splitScalar(index, add);
  const mul = b && producerOf(index, b.other, ['Mul']);
  const a = mul && splitScalar(index, mul);
  if (add && b && mul && a) {
    return {
      value: { type: 'hardsigmoid', alpha: snap(a.value), beta: snap(b.value) },
      input: a.other,
      nodes: [...nodes, add, mul],
    };
  }
  return undefined;
}

/** Collects the Mul/Add/Div/Erf tree above a tensor (for the composed GELU). */
function expressionNodes(index: GraphIndex, tensor: string, depth: number, out: NodeProto[]): void {
  const node = producerOf(index, tensor, ['Mul', 'Add', 'Div', 'Erf']);
  if (!node || depth > 5 || out.includes(node)) return;
  out.push(node);
  for (const input of node.input ?? [])
    if (input && index.constant(input) === undefined) expressionNodes(index, input, depth + 1, out);
}

/** GELU written as 0.5 · z · (1 + erf(z / √2)) in any association order (PyTorch's and ours). */
function matchComposedGelu(index: GraphIndex, tensor: string): Matched<Activation> | undefined {
  const nodes: NodeProto[] = [];
  expressionNodes(index, tensor, 0, nodes);
  const erf = nodes.find((n) => n.opType === 'Erf');
  const scaled = erf?.input?.[0] ? producerOf(index, erf.input[0], ['Div', 'Mul']) : undefined;
  const s = scaled && splitScalar(index, scaled);
  if (!erf || !scaled || !s) return undefined;
  const factor = scaled.opType === 'Div' ? 1 / s.value : s.value;
  if (Math.abs(factor - Math.SQRT1_2) > 1e-6) return undefined;
  const z = s.other;
  const hasHalf = nodes.some(
    (n) => n.opType === 'Mul' && Math.abs((splitScalar(index, n)?.value ?? 0) - 0.5) < 1e-7,
  );
  const hasOne = nodes.some((n) => n.opType === 'Add' && splitScalar(index, n)?.value === 1);
  const readsZ = nodes.some((n) => n !== scaled && (n.input ?? []).includes(z));
  return hasHalf && hasOne && readsZ ? { value: 'gelu', input: z, nodes } : undefined;
}

/** relu, relu6 (Clip 0..6), silu (z · sigmoid z), gelu (op or composed), hardswish (op or composed). */
export function matchActivation(
  index: GraphIndex,
  tensor: string,
): Matched<Activation> | undefined {
  const node = index.producers.get(tensor)?.node;
  if (!node || (node.domain && node.domain !== 'ai.onnx')) return undefined;
  const input = node.input?.[0] ?? '';
  switch (node.opType) {
    case 'Relu':
      return { value: 'relu', input, nodes: [node] };
    case 'HardSwish':
      return { value: 'hardswish', input, nodes: [node] };
    case 'Gelu':
      return (stringAttribute(node, 'approximate') ?? 'none') === 'none'
        ? { value: 'gelu', input, nodes: [node] }
        : undefined;
    case 'Clip': {
      const bounds = clipBounds(index, node);
      return bounds && bounds[0] === 0 && bounds[1] === 6
        ? { value: 'relu6', input, nodes: [node] }
        : undefined;
    }
    case 'Mul': {
      const [a, b] = node.input ?? [];
      // silu: z · sigmoid(z)
      for (const [z, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const sig = other ? producerOf(index, other, ['Sigmoid']) : undefined;
        if (z && sig?.input?.[0] === z) return { value: 'silu', input: z, nodes: [node, sig] };
      }
      return matchComposedGelu(index, tensor);
    }
    case 'Div': {
      // Our hardswish: (z · relu6(z + 3)) / 6.
      const d = splitScalar(index, node);
      const mul = d && d.value === 6 ? producerOf(index, d.other, ['Mul']) : undefined;
      const [a, b] = mul?.input ?? [];
      for (const [z, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const clip = other ? producerOf(index, other, ['Clip']) : undefined;
        const bounds = clip && clipBounds(index, clip);
        const add = clip?.input?.[0] ? producerOf(index, clip.input[0], ['Add']) : undefined;
        const shift = add && splitScalar(index, add);
        if (
          mul &&
          z &&
          clip &&
          add &&
          bounds?.[0] === 0 &&
          bounds[1] === 6 &&
          shift?.value === 3 &&
          shift.other === z
        ) {
          return { value: 'hardswish', input: z, nodes: [node, mul, clip, add] };
        }
      }
      return undefined;
    }
    default:
      return matchComposedGelu(index, tensor);
  }
}

export type FullyConnectedForm = 'conv' | 'gemm' | 'matmul';
export interface FullyConnected {
  /** Canonical [outputs, inputs] row-major. */
  readonly weight: Float32Array | Float64Array;
  readonly bias: Float32Array | Float64Array | undefined;
  readonly inputs: number;
  readonly outputs: number;
  readonly form: FullyConnectedForm;
  /** Initializer name of the weight (gives the block its name). */
  readonly weightName: string;
}

function transposed(
  values: Float32Array | Float64Array,
  rows: number,
  cols: number,
): Float32Array | Float64Array {
  const out = new (values.constructor as new (n: number) => Float32Array | Float64Array)(
    values.length,
  );
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return out;
}

/** The weight tensor's own name: through Identity to the initializer PyTorch named after the module. */
function weightName(index: GraphIndex, tensor: string): string {
  return index.constant(tensor)?.name ?? tensor;
}

function biasValues(
  index: GraphIndex,
  tensor: string | undefined,
  length: number,
): Float32Array | Float64Array | undefined | null {
  if (!tensor) return undefined;
  const t = index.constant(tensor);
  if (!t) return null;
  const values = readFloatTensor(t, 'bias');
  return values.length === length ? values : null;
}

/** A 1×1 Conv, a Gemm (alpha = beta = 1) or a MatMul (+ Add bias) producing `tensor`. null bias = not an SE layer. */
export function matchFullyConnected(
  index: GraphIndex,
  tensor: string,
): Matched<FullyConnected> | undefined {
  const node = index.producers.get(tensor)?.node;
  if (!node || (node.domain && node.domain !== 'ai.onnx')) return undefined;
  const [input, w, b] = node.input ?? [];
  if (node.opType === 'Conv' && input && w) {
    const t = index.constant(w);
    const dims = t ? tensorDims(t) : [];
    const kernel = intsAttribute(node, 'kernel_shape') ?? dims.slice(2);
    const unitStrides = (intsAttribute(node, 'strides') ?? []).every((s) => s === 1);
    if (
      !t ||
      dims.length !== 4 ||
      dims[2] !== 1 ||
      dims[3] !== 1 ||
      kernel.some((k) => k !== 1) ||
      !unitStrides ||
      intAttribute(node, 'group', 1) !== 1
    )
      return undefined;
    const [outputs, inputs] = dims as [number, number];
    const bias = biasValues(index, b, outputs);
    if (bias === null) return undefined;
    return {
      value: {
        weight: readFloatTensor(t, 'weight'),
        bias,
        inputs,
        outputs,
        form: 'conv',
        weightName: weightName(index, w),
      },
      input,
      nodes: [node],
    };
  }
  if (node.opType === 'Gemm' && input && w) {
    const t = index.constant(w);
    const dims = t ? tensorDims(t) : [];
    if (!t || dims.length !== 2 || intAttribute(node, 'transA', 0) !== 0) return undefined;
    if (floatAttribute(node, 'alpha', 1) !== 1 || floatAttribute(node, 'beta', 1) !== 1)
      return undefined;
    const transB = intAttribute(node, 'transB', 0) === 1;
    const [outputs, inputs] = (transB ? dims : [dims[1], dims[0]]) as [number, number];
    const raw = readFloatTensor(t, 'weight');
    const bias = biasValues(index, b, outputs);
    if (bias === null) return undefined;
    const weight = transB ? raw : transposed(raw, inputs, outputs);
    return {
      value: { weight, bias, inputs, outputs, form: 'gemm', weightName: weightName(index, w) },
      input,
      nodes: [node],
    };
  }
  // MatMul(s, W[in, out]) or Add(MatMul(...), bias).
  let add: NodeProto | undefined;
  let matmul = node.opType === 'MatMul' ? node : undefined;
  let biasName: string | undefined;
  if (node.opType === 'Add') {
    const [a, c] = node.input ?? [];
    for (const [m, other] of [
      [a, c],
      [c, a],
    ] as const) {
      const candidate = m ? producerOf(index, m, ['MatMul']) : undefined;
      if (candidate && other && index.constant(other)) {
        matmul = candidate;
        add = node;
        biasName = other;
        break;
      }
    }
  }
  const [mIn, mW] = matmul?.input ?? [];
  const t = mW ? index.constant(mW) : undefined;
  const dims = t ? tensorDims(t) : [];
  if (!matmul || !mIn || !mW || !t || dims.length !== 2) return undefined;
  const [inputs, outputs] = dims as [number, number];
  const bias = biasValues(index, biasName, outputs);
  if (bias === null) return undefined;
  const weight = transposed(readFloatTensor(t, 'weight'), inputs, outputs);
  return {
    value: { weight, bias, inputs, outputs, form: 'matmul', weightName: weightName(index, mW) },
    input: mIn,
    nodes: add ? [add, matmul] : [matmul],
  };
}

export interface Squeeze {
  readonly kind: 'avg' | 'max';
  readonly layout: Layout;
  readonly op: 'global-pool' | 'reduce';
  /** For a global pool: the Transpose NHWC → NCHW that feeds it, if any (an NHWC block's squeeze). */
  readonly nchwFrom?: NodeProto;
}

/** Axes of a Reduce node: attribute (opset < 18) or input (opset >= 18). */
function reduceAxes(index: GraphIndex, node: NodeProto): number[] | undefined {
  const attr = intsAttribute(node, 'axes');
  if (attr) return attr;
  const axesName = node.input?.[1];
  const t = axesName ? index.constant(axesName) : undefined;
  return t ? readIntTensor(t, 'axes') : undefined;
}

/** GlobalAveragePool / GlobalMaxPool, or ReduceMean / ReduceMax over the spatial axes of a rank-4 tensor. */
export function matchPool(index: GraphIndex, tensor: string): Matched<Squeeze> | undefined {
  const node = producerOf(index, tensor, [
    'GlobalAveragePool',
    'GlobalMaxPool',
    'ReduceMean',
    'ReduceMax',
  ]);
  const input = node?.input?.[0];
  if (!node || !input) return undefined;
  const kind = node.opType === 'GlobalAveragePool' || node.opType === 'ReduceMean' ? 'avg' : 'max';
  if (node.opType?.startsWith('Global')) {
    const transpose = producerOf(index, input, ['Transpose']);
    const nchwFrom =
      transpose && intsAttribute(transpose, 'perm')?.join(',') === '0,3,1,2'
        ? transpose
        : undefined;
    return {
      value: { kind, layout: 'NCHW', op: 'global-pool', ...(nchwFrom ? { nchwFrom } : {}) },
      input,
      nodes: [node],
    };
  }
  const axes = reduceAxes(index, node);
  if (!axes) return undefined;
  const key = axes
    .map((a) => (a < 0 ? a + 4 : a))
    .sort()
    .join(',');
  const layout: Layout | undefined = key === '2,3' ? 'NCHW' : key === '1,2' ? 'NHWC' : undefined;
  return layout ? { value: { kind, layout, op: 'reduce' }, input, nodes: [node] } : undefined;
}

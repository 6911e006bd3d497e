import type { SEBlock } from '@seblock/se-core';
import { floatTensor, int64Tensor } from '../proto/tensors.js';
import { emitActivation, emitGate } from './activations.js';
import type { ResolvedGraphOptions } from './options.js';
import type { GraphSink, WeightRole } from './sink.js';

type Form = Pick<ResolvedGraphOptions, 'layout' | 'fullyConnected' | 'squeezeOp'> &
  Partial<Pick<ResolvedGraphOptions, 'erf'>>;

/** Spatial axes of a rank-4 activation. */
const spatialAxes = (form: Form) => (form.layout === 'NCHW' ? [2, 3] : [1, 2]);

/**
 * One squeeze reduction (mean or max). keepDims decides [N, C, 1, 1] vs [N, C]
 * (conv form keeps them, gemm/matmul forms drop them).
 */
function reduce(
  sink: GraphSink,
  x: string,
  kind: 'mean' | 'max',
  form: Form,
  keepDims: boolean,
): string {
  if (form.squeezeOp === 'global-pool') {
    const pooled = sink.node(
      kind === 'mean' ? 'GlobalAveragePool' : 'GlobalMaxPool',
      [x],
      `squeeze_${kind}`,
    )[0] as string;
    return keepDims
      ? pooled
      : (sink.node('Flatten', [pooled], `squeeze_${kind}_flat`, { axis: 1 })[0] as string);
  }
  const op = kind === 'mean' ? 'ReduceMean' : 'ReduceMax';
  const axes = spatialAxes(form);
  // Opset 18 moved the axes of ReduceMean/ReduceMax from an attribute to an input.
  if (sink.opset >= 18) {
    const axesName = sink.constant(`squeeze_${kind}_axes`, int64Tensor('', [axes.length], axes));
    return sink.node(op, [x, axesName], `squeeze_${kind}`, {
      keepdims: keepDims ? 1 : 0,
    })[0] as string;
  }
  return sink.node(op, [x], `squeeze_${kind}`, { axes, keepdims: keepDims ? 1 : 0 })[0] as string;
}

function squeeze(
  sink: GraphSink,
  x: string,
  block: SEBlock,
  form: Form,
  keepDims: boolean,
): string {
  const mode = block.spec.squeeze;
  // The global pools reduce every axis after the second: NHWC goes to NCHW first (one copy of x,
  // which onnxruntime-web's webgpu ReduceMean makes internally too), and both pools of avgmax share it.
  const pooled =
    form.squeezeOp === 'global-pool' && form.layout === 'NHWC'
      ? (sink.node('Transpose', [x], 'squeeze_input_nchw', { perm: [0, 3, 1, 2] })[0] as string)
      : x;
  if (mode === 'avg') return reduce(sink, pooled, 'mean', form, keepDims);
  if (mode === 'max') return reduce(sink, pooled, 'max', form, keepDims);
  // timm add_maxpool: 0.5·avg + 0.5·max, written (avg + max) · 0.5 (halving is exact in float32).
  const sum = sink.node(
    'Add',
    [reduce(sink, pooled, 'mean', form, keepDims), reduce(sink, pooled, 'max', form, keepDims)],
    'squeeze_sum',
  )[0] as string;
  return sink.node(
    'Mul',
    [sum, sink.constant('squeeze_half', floatTensor('', [], [0.5]))],
    'squeeze',
  )[0] as string;
}

/** Canonical [rows, cols] row-major → [cols, rows] (MatMul wants W transposed). */
function transpose(values: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return out;
}

/** One fully connected layer from `inputs` to `outputs` units with canonical weight [outputs, inputs]. */
function fullyConnected(
  sink: GraphSink,
  s: string,
  layer: 'fc1' | 'fc2',
  weight: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  inputs: number,
  outputs: number,
  form: Form,
): string {
  const w = (dims: number[], values: ArrayLike<number>) =>
    sink.weight(`${layer}.weight` as WeightRole, floatTensor('', dims, values));
  const b = () =>
    sink.weight(
      `${layer}.bias` as WeightRole,
      floatTensor('', [outputs], bias as ArrayLike<number>),
    );
  switch (form.fullyConnected) {
    case 'conv': {
      const args = [s, w([outputs, inputs, 1, 1], weight), ...(bias ? [b()] : [])];
      return sink.node('Conv', args, layer, { kernel_shape: [1, 1] })[0] as string;
    }
    case 'gemm': {
      const args = [s, w([outputs, inputs], weight), ...(bias ? [b()] : [])];
      return sink.node('Gemm', args, layer, { transB: 1 })[0] as string;
    }
    case 'matmul': {
      const product = sink.node(
        'MatMul',
        [s, w([inputs, outputs], transpose(weight, outputs, inputs))],
        bias ? `${layer}_matmul` : layer,
      )[0] as string;
      return bias ? (sink.node('Add', [product, b()], layer)[0] as string) : product;
    }
  }
}

/**
 * Writes one SE block reading `x` and returns the name of y. The spec is
 * honoured field by field: squeeze mode, activation, gate (explicit alpha and
 * beta), bias, gain. Weights go through {@link GraphSink.weight}.
 */
export function emitSE(
  sink: GraphSink,
  x: string,
  block: SEBlock,
  form: Form,
  outputName?: string,
): string {
  const { spec, weights } = block;
  const { channels: C, reducedChannels: rd } = spec;
  const convForm = form.fullyConnected === 'conv';
  let s = squeeze(sink, x, block, form, convForm);
  // Conv needs [N, C, 1, 1]; an NHWC ReduceMean gives [N, 1, 1, C] (a global pool is NCHW already).
  if (convForm && form.layout === 'NHWC' && form.squeezeOp === 'reduce')
    s = sink.node('Transpose', [s], 'squeeze_nchw', { perm: [0, 3, 1, 2] })[0] as string;

  const z1 = fullyConnected(
    sink,
    s,
    'fc1',
    weights.fc1Weight,
    spec.bias ? weights.fc1Bias : undefined,
    C,
    rd,
    form,
  );
  const h = emitActivation(sink, z1, spec.activation, form.erf ?? 'op');
  const z2 = fullyConnected(
    sink,
    h,
    'fc2',
    weights.fc2Weight,
    spec.bias ? weights.fc2Bias : undefined,
    rd,
    C,
    form,
  );
  let e = emitGate(sink, z2, spec.gate);
  if (spec.gain !== 1)
    e = sink.node(
      'Mul',
      [e, sink.constant('gain', floatTensor('', [], [spec.gain]))],
      'gain',
    )[0] as string;

  // Back to a shape that broadcasts against x.
  if (convForm && form.layout === 'NHWC')
    e = sink.node('Transpose', [e], 'excitation_nhwc', { perm: [0, 2, 3, 1] })[0] as string;
  if (!convForm) {
    const axes = sink.constant('excitation_axes', int64Tensor('', [2], spatialAxes(form)));
    e = sink.node('Unsqueeze', [e, axes], 'excitation')[0] as string;
  }
  return sink.node(
    'Mul',
    [x, e],
    'scale',
    undefined,
    outputName ? [outputName] : undefined,
  )[0] as string;
}

import { canonicalSpecJSON, type SEBlock, SESpecError } from '@seblock/se-core';
import { emitSE } from '../forms/block.js';
import { SE_FUNCTION_OPSET, SEFunctionRegistry } from '../function/se-function.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { NameAllocator } from '../proto/names.js';
import {
  encodeModel,
  type ModelProto,
  onnx,
  TensorDataType,
  type ValueInfoProto,
} from '../proto/onnx.js';
import { checkBlock } from './block.js';
import { DEFAULT_OPSET, resolveGraphOptions, type SEGraphOptions } from './options.js';

/** A dimension of the model input: a fixed size, or a symbolic name (dynamic). */
export type DimSpec = number | string;

export interface BuildSEModelOptions extends SEGraphOptions {
  /** Batch dimension: a number fixes it, a string names a dynamic dim (default 'N'). */
  readonly batch?: DimSpec;
  /** Height (default dynamic 'H'). */
  readonly height?: DimSpec;
  /** Width (default dynamic 'W'). */
  readonly width?: DimSpec;
  /** Graph input name (default 'x'). */
  readonly inputName?: string;
  /** Graph output name (default 'y'). */
  readonly outputName?: string;
  /** Prefix of node and weight names (default 'se': weights are `se.fc1.weight`, …). */
  readonly name?: string;
}

/** IR version per opset, as ONNX releases paired them (1.12/1.13: IR 8 for opsets 17/18; 1.14–1.15: IR 9; 1.16+: IR 10). */
export function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export const PRODUCER_NAME = '@seblock/se-onnxruntime';
/** metadata_props key holding the block's spec JSON in models built here. */
export const SPEC_METADATA_KEY = 'seblock.spec';

/** A model input dimension: `dimValue` for a number, `dimParam` for a name; SESpecError otherwise. */
export function dim(value: DimSpec, field: string) {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1)
      throw new SESpecError(field, 'a positive integer or a dim name', value);
    return { dimValue: value };
  }
  if (typeof value !== 'string' || value === '')
    throw new SESpecError(field, 'a positive integer or a dim name', value);
  return { dimParam: value };
}

/** A float32 graph input or output of the given dims. */
export function tensorInfo(name: string, dims: ReturnType<typeof dim>[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: dims } } } };
}

/**
 * Builds a standalone ONNX model computing one SE block: input x (float32,
 * rank 4, dynamic batch and spatial dims unless fixed), output y of the same
 * shape. Every spec field is written explicitly.
 *
 * @example
 * ```ts
 * import { defineSESpec, pytorchHardSigmoid } from '@seblock/se-core';
 * import { buildSEModel } from '@seblock/se-onnxruntime';
 *
 * const spec = defineSESpec({ version: 1, channels: 64, reducedChannels: 16, squeeze: 'avg',
 *   activation: 'relu', gate: pytorchHardSigmoid, bias: true });
 * const bytes = buildSEModel({ spec, weights }, { opset: 18, fullyConnected: 'gemm' });
 * // bytes is a .onnx file: write it, or give it to createModelSession / InferenceSession.create
 * ```
 */
export function buildSEModel(block: SEBlock, options: BuildSEModelOptions = {}): Uint8Array {
  return encodeModel(buildSEModelProto(block, options));
}

/**
 * {@link buildSEModel}, returning the protobuf object (onnx-proto's `ModelProto`) for
 * tools that edit it further before serialising.
 *
 * @example
 * ```ts
 * const model = buildSEModelProto(block, { asFunction: true });
 * model.docString = 'SE block for stage 3';
 * const bytes = onnx.ModelProto.encode(model).finish();   // onnx from 'onnx-proto'
 * ```
 */
export function buildSEModelProto(block: SEBlock, options: BuildSEModelOptions = {}): ModelProto {
  const checked = checkBlock(block);
  const form = resolveGraphOptions(options, options.opset ?? DEFAULT_OPSET);
  const { spec } = checked;
  const inputName = options.inputName ?? 'x';
  const outputName = options.outputName ?? 'y';
  if (inputName === outputName)
    throw new SESpecError(
      'options.outputName',
      `a name other than the input's ("${inputName}")`,
      outputName,
    );
  const n = dim(options.batch ?? 'N', 'options.batch');
  const h = dim(options.height ?? 'H', 'options.height');
  const w = dim(options.width ?? 'W', 'options.width');
  const c = { dimValue: spec.channels };
  const dims = form.layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];

  const names = new NameAllocator();
  names.reserve(inputName);
  names.reserve(outputName);
  const graph = new GraphBuilder(names, options.name ?? 'se', form.opset);
  const functions = new SEFunctionRegistry();
  if (form.asFunction) functions.call(graph, inputName, checked, form, outputName);
  else emitSE(graph, inputName, checked, form, outputName);

  return onnx.ModelProto.create({
    irVersion: irVersionFor(form.opset),
    producerName: PRODUCER_NAME,
    opsetImport: [
      { domain: '', version: form.opset },
      ...(form.asFunction ? [SE_FUNCTION_OPSET] : []),
    ],
    graph: {
      name: 'squeeze_excitation',
      node: graph.nodes,
      initializer: graph.initializers,
      input: [tensorInfo(inputName, dims)],
      output: [tensorInfo(outputName, dims)],
    },
    functions: functions.added,
    metadataProps: [{ key: SPEC_METADATA_KEY, value: JSON.stringify(canonicalSpecJSON(spec)) }],
  });
}

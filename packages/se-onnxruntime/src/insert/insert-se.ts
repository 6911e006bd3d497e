import { LAYOUTS, type Layout, type SEBlock, SEShapeError, SESpecError } from '@seblock/se-core';
import { checkBlock } from '../build/block.js';
import { checkOpset, resolveGraphOptions, type SEGraphOptions } from '../build/options.js';
import { SEModelError } from '../errors.js';
import { emitSE } from '../forms/block.js';
import {
  SE_FUNCTION_DOMAIN,
  SE_FUNCTION_OPSET,
  SEFunctionRegistry,
} from '../function/se-function.js';
import { GraphBuilder } from '../graph/graph-builder.js';
import { inferChannels } from '../proto/channels.js';
import { decodeModel } from '../proto/decode.js';
import { GraphIndex } from '../proto/graph-index.js';
import { NameAllocator } from '../proto/names.js';
import {
  defaultOpset,
  encodeModel,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  toNumber,
} from '../proto/onnx.js';
import { subgraphsOf } from '../proto/scopes.js';
import { Placement } from './placement.js';

/** Where an SE block goes: after a node's output, or after a tensor. */
export type InsertionPoint =
  /** A node name (its first output) or, failing that, a tensor name. */
  string | { readonly node: string; readonly output?: number } | { readonly tensor: string };

export interface SEInsertion {
  readonly after: InsertionPoint;
  readonly block: SEBlock;
  /** Prefix of the new node and weight names (default 'se'; made unique). Weights are `<name>.fc1.weight`, … (se-core's tensor names). */
  readonly name?: string;
  /** Layout of the tensor the block follows (default 'NCHW', ONNX's own). */
  readonly layout?: Layout;
}

/** Op forms for the inserted blocks; the opset is always the model's. */
export type InsertSEOptions = Omit<SEGraphOptions, 'opset' | 'layout'>;

function describeNode(node: NodeProto): string {
  return `${node.opType} "${node.name ?? ''}"`;
}

/** Near names, so a typo gets a useful message. */
function suggestions(wanted: string, names: Iterable<string>): string {
  const lower = wanted.toLowerCase();
  const tail = lower.split('/').pop() ?? lower;
  const near = [...names]
    .filter((n) => n.toLowerCase().includes(tail) || lower.includes(n.toLowerCase()))
    .slice(0, 5);
  return near.length > 0 ? ` (similar: ${near.map((n) => `"${n}"`).join(', ')})` : '';
}

/** Resolves an insertion point to a tensor name, with errors that name what was asked for. */
function resolveTarget(index: GraphIndex, point: InsertionPoint, field: string): string {
  if (typeof point === 'string') {
    const node = index.nodesByName.get(point);
    if (node) return resolveTarget(index, { node: point }, field);
    if (index.producers.has(point) || index.inputs.has(point)) return point;
    throw new SEModelError(
      field,
      `no node or tensor named "${point}"${suggestions(point, [...index.nodesByName.keys(), ...index.producers.keys()])}`,
    );
  }
  if (typeof point !== 'object' || point === null)
    throw new SEModelError(field, 'expected a node name, { node, output? } or { tensor }');
  if ('node' in point) {
    const node = index.nodesByName.get(point.node);
    if (!node)
      throw new SEModelError(
        field,
        `no node named "${point.node}"${suggestions(point.node, index.nodesByName.keys())}`,
      );
    const outputs = node.output ?? [];
    const output = point.output ?? 0;
    if (!Number.isInteger(output) || output < 0 || output >= outputs.length || !outputs[output]) {
      throw new SEModelError(
        `${field}.output`,
        `node has outputs 0..${outputs.length - 1}, received ${output}`,
        point.node,
      );
    }
    return outputs[output] as string;
  }
  const { tensor } = point;
  if (index.initializers.has(tensor))
    throw new SEModelError(field, `"${tensor}" is an initializer (a constant), not an activation`);
  if (!index.producers.has(tensor) && !index.inputs.has(tensor)) {
    throw new SEModelError(
      field,
      `no tensor named "${tensor}"${suggestions(tensor, index.producers.keys())}`,
    );
  }
  return tensor;
}

/**
 * Renames reads of `from` to `to` in a graph's nodes and in the subgraphs that see it (a
 * subgraph that declares its own `from` shadows it, with everything inside). An explicit
 * stack, like every walk over subgraphs here.
 */
function renameReads(
  graph: GraphProto,
  from: string,
  to: string,
  skip: ReadonlySet<NodeProto>,
): void {
  const pending: GraphProto[] = [graph];
  for (let g = pending.pop(); g; g = pending.pop()) {
    for (const node of g.node ?? []) {
      if (skip.has(node)) continue;
      node.input = (node.input ?? []).map((i) => (i === from ? to : i));
      for (const { graph: sub } of subgraphsOf(node)) if (!shadows(sub, from)) pending.push(sub);
    }
  }
}

/** Whether a subgraph declares a tensor of this name itself (an input, initializer or node output). */
function shadows(graph: GraphProto, name: string): boolean {
  return (
    [...(graph.input ?? []), ...(graph.initializer ?? [])].some((v) => v.name === name) ||
    (graph.node ?? []).some((n) => n.output?.includes(name))
  );
}

/**
 * Models whose local functions may carry fields newer than the ONNX 1.10 schema
 * onnx-proto was generated from (attribute defaults, overloads, function value_info):
 * protobufjs would drop them silently on re-encoding, so refuse instead.
 */
function refuseUnpreservableFields(model: ModelProto): void {
  const ir = toNumber(model.irVersion);
  if (ir > 8 && model.functions.some((f) => f.domain !== SE_FUNCTION_DOMAIN)) {
    throw new SEModelError(
      'model',
      `IR version ${ir} with model-local functions: this package's protobuf schema (ONNX 1.10, IR 8) cannot preserve their newer fields`,
    );
  }
}

/**
 * Graph surgery: returns a copy of an ONNX model with SE blocks inserted after
 * the given node outputs or tensors. Every consumer of the tensor (including
 * graph outputs) then reads the block's output. The block's channel count is
 * checked against the tensor (declared shape, or the Conv/BatchNorm that made it).
 * New names never collide with existing ones; the input bytes are not modified.
 *
 * @example
 * ```ts
 * const edited = insertSE(modelBytes, [
 *   { after: '/layer1/layer1.0/conv2/Conv', block: seBlock64, name: 'layer1.0.se' },
 *   { after: { tensor: 'features_out' }, block: seBlock128 },
 * ], { fullyConnected: 'gemm' });
 * ```
 */
export function insertSE(
  modelBytes: Uint8Array,
  insertions: readonly SEInsertion[],
  options: InsertSEOptions = {},
): Uint8Array {
  const model = decodeModel(modelBytes);
  refuseUnpreservableFields(model);
  const opset = defaultOpset(model);
  checkOpset(opset, 'model.opset_import');
  if (!Array.isArray(insertions) || insertions.length === 0) {
    throw new SESpecError('insertions', 'a non-empty array of { after, block }', insertions);
  }
  const graph = model.graph as GraphProto;
  const names = new NameAllocator(model);
  const functions = new SEFunctionRegistry(model.functions);
  // One index, kept current as blocks go in: indexing the graph again per insertion made
  // k insertions cost O(k · nodes).
  const index = new GraphIndex(graph);
  const placement = new Placement();
  const initializers = [...(graph.initializer ?? [])];

  insertions.forEach((insertion, i) => {
    const field = `insertions[${i}]`;
    if (typeof insertion !== 'object' || insertion === null)
      throw new SESpecError(field, '{ after, block, name?, layout? }', insertion);
    const layout = insertion.layout ?? 'NCHW';
    if (!LAYOUTS.includes(layout))
      throw new SESpecError(`${field}.layout`, '"NCHW" or "NHWC"', layout);
    if (
      insertion.name !== undefined &&
      (typeof insertion.name !== 'string' || insertion.name === '')
    )
      throw new SESpecError(`${field}.name`, 'a non-empty string', insertion.name);
    const block = checkBlock(insertion.block, `${field}.block`);
    const form = resolveGraphOptions({ ...options, layout }, opset, 'options');
    const tensor = resolveTarget(index, insertion.after, `${field}.after`);
    const producer = index.producers.get(tensor);
    const where = producer
      ? `tensor "${tensor}" (output ${producer.output} of ${describeNode(producer.node)})`
      : `graph input "${tensor}"`;

    const info = inferChannels(index, tensor, layout);
    if (info.rank !== undefined && info.rank !== 4) {
      throw new SEShapeError(
        `${field}.after`,
        `a rank-4 ${layout} activation at ${where}`,
        `rank ${info.rank} (${info.via})`,
      );
    }
    if (info.channels === undefined) {
      throw new SEModelError(
        `${field}.after`,
        `cannot tell the channel count of ${where}: ${info.via}; declare its shape in value_info (e.g. run onnx shape inference) and retry`,
        producer?.node.name ?? undefined,
      );
    }
    if (info.channels !== block.spec.channels) {
      throw new SEShapeError(
        `${field}.block.spec.channels`,
        `${info.channels} channels to follow ${where}, whose ${layout} channel axis has ${info.channels} (${info.via})`,
        block.spec.channels,
      );
    }

    const builder = new GraphBuilder(names, names.fresh(insertion.name ?? 'se'), opset);
    let blockInput = tensor;
    let blockOutput: string | undefined = tensor;
    if (producer) {
      // The producer now writes a fresh name and the block writes the original one,
      // so every consumer, graph output and value_info keeps pointing at the right value.
      blockInput = names.fresh(`${tensor}_before_se`);
      index.moveOutput(producer, blockInput);
    } else {
      blockOutput = undefined; // a graph input keeps its name; its readers are renamed below
    }
    const y = form.asFunction
      ? functions.call(builder, blockInput, block, form, blockOutput)
      : emitSE(builder, blockInput, block, form, blockOutput);
    if (!producer) renameReads(graph, tensor, y, new Set(builder.nodes));
    placement.place(producer?.node, builder.nodes);
    index.add(builder.nodes, builder.initializers, producer?.index ?? -1);
    initializers.push(...builder.initializers);
  });

  graph.node = placement.apply(graph.node ?? []);
  graph.initializer = initializers;
  if (functions.added.length > 0) {
    model.functions = [...model.functions, ...functions.added];
    if (!model.opsetImport.some((o) => o.domain === SE_FUNCTION_DOMAIN))
      model.opsetImport.push(SE_FUNCTION_OPSET);
  }
  return encodeModel(model);
}

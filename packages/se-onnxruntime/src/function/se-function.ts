import type { SEBlock } from '@seblock/se-core';
import { canonicalSpecJSON } from '@seblock/se-core';
import { emitSE } from '../build/emit-se.js';
import type { GraphBuilder } from '../build/graph-builder.js';
import type { ResolvedGraphOptions } from '../build/options.js';
import { type GraphSink, recordNode, type WeightRole } from '../build/sink.js';
import type { AttributeValue } from '../proto/attributes.js';
import { NameAllocator } from '../proto/names.js';
import type { FunctionProto, NodeProto, OperatorSetIdProto, TensorProto } from '../proto/onnx.js';

/** Domain and op type of the function form. */
export const SE_FUNCTION_DOMAIN = 'ai.seblock';
export const SE_FUNCTION_NAME = 'SqueezeExcite';

/** Writes a function body: constants as Constant nodes, weights as formal inputs. */
class FunctionBodyBuilder implements GraphSink {
  readonly nodes: NodeProto[] = [];
  readonly formalInputs: string[] = ['x'];
  readonly weights: { role: WeightRole; tensor: TensorProto }[] = [];
  private readonly names = new NameAllocator();

  constructor(readonly opset: number) {
    this.names.reserve('x');
  }

  node(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attrs?: Readonly<Record<string, AttributeValue>>,
    outputs?: readonly string[],
  ): string[] {
    return recordNode(
      this.nodes,
      this.names,
      this.names.fresh(hint),
      opType,
      inputs,
      attrs,
      outputs,
    );
  }

  constant(hint: string, tensor: TensorProto): string {
    return this.node('Constant', [], hint, { value: { ...tensor, name: '' } })[0] as string;
  }

  weight(role: WeightRole, tensor: TensorProto): string {
    this.formalInputs.push(role);
    this.names.reserve(role);
    this.weights.push({ role, tensor });
    return role;
  }
}

/**
 * The model-local functions of one model in the `ai.seblock` domain. A function
 * takes x and the weights as inputs, so every block with the same structure
 * (squeeze, activation, gate, bias, gain, layout, op forms) shares one function;
 * a structurally different block gets `SqueezeExcite_2`, … (a function is
 * identified by domain and name only).
 */
export class SEFunctionRegistry {
  private readonly byKey = new Map<string, string>();
  readonly added: FunctionProto[] = [];
  private readonly existing: Set<string>;

  constructor(existing: readonly FunctionProto[] = []) {
    this.existing = new Set(
      existing.filter((f) => f.domain === SE_FUNCTION_DOMAIN).map((f) => f.name ?? ''),
    );
  }

  /** Adds one SqueezeExcite call reading `x` to `graph`; returns y. */
  call(
    graph: GraphBuilder,
    x: string,
    block: SEBlock,
    form: ResolvedGraphOptions,
    outputName?: string,
  ): string {
    const body = new FunctionBodyBuilder(graph.opset);
    const y = emitSE(body, 'x', block, form, 'y');
    const spec = canonicalSpecJSON(block.spec);
    const key = JSON.stringify({
      squeeze: spec.squeeze,
      activation: spec.activation,
      gate: spec.gate,
      bias: spec.bias,
      gain: spec.gain,
      layout: form.layout,
      fullyConnected: form.fullyConnected,
      squeezeOp: form.squeezeOp,
      erf: form.erf,
      opset: graph.opset,
    });
    let name = this.byKey.get(key);
    if (name === undefined) {
      name = SE_FUNCTION_NAME;
      for (let i = 2; this.existing.has(name); i++) name = `${SE_FUNCTION_NAME}_${i}`;
      this.existing.add(name);
      this.byKey.set(key, name);
      const opsetImport: OperatorSetIdProto[] = [{ domain: '', version: graph.opset }];
      this.added.push({
        name,
        domain: SE_FUNCTION_DOMAIN,
        input: body.formalInputs,
        output: [y],
        attribute: [],
        node: body.nodes,
        opsetImport,
        docString: `Squeeze-and-Excitation block (@seblock/se-onnxruntime): ${key}`,
      });
    }
    const actuals = body.weights.map(({ role, tensor }) => graph.weight(role, tensor));
    const nodeName = graph.names.fresh(`${graph.prefix}/${SE_FUNCTION_NAME}`);
    const out = outputName ?? graph.names.fresh(`${nodeName}_output`);
    graph.nodes.push({
      name: nodeName,
      opType: name,
      domain: SE_FUNCTION_DOMAIN,
      input: [x, ...actuals],
      output: [out],
      attribute: [],
      docString: JSON.stringify(spec),
    });
    return out;
  }
}

/** The opset import a model needs for the function calls. */
export const SE_FUNCTION_OPSET: OperatorSetIdProto = { domain: SE_FUNCTION_DOMAIN, version: 1 };

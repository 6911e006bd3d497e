import { canonicalSpecJSON, kindOfSpec, type SEBlock } from '@seblock/se-core';
import { emitSE, type FormChoice } from '../forms/block.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import { type GraphSink, recordNode } from '../graph/sink.js';
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
  readonly weights: { tensorName: string; tensor: TensorProto }[] = [];
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

  weight(tensorName: string, tensor: TensorProto): string {
    this.formalInputs.push(tensorName);
    this.names.reserve(tensorName);
    this.weights.push({ tensorName, tensor });
    return tensorName;
  }
}

/** The body's structure as a string: two blocks share a function exactly when their bodies are equal. */
function bodyKey(body: FunctionBodyBuilder): string {
  return JSON.stringify({ inputs: body.formalInputs, nodes: body.nodes }, (_key, value) =>
    value instanceof Uint8Array ? Array.from(value) : value,
  );
}

/**
 * The model-local functions of one model in the `ai.seblock` domain. A function takes x and
 * the weights as inputs, so every block whose body is the same (kind, squeeze, activation,
 * gate, gain, layout, op forms: everything but the weights) shares one function; a
 * structurally different block gets `SqueezeExcite_2`, … (a function is identified by domain
 * and name only).
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
    form: FormChoice,
    outputName?: string,
  ): string {
    const body = new FunctionBodyBuilder(graph.opset);
    const y = emitSE(body, 'x', block, form, 'y');
    const spec = canonicalSpecJSON(block.spec);
    const key = bodyKey(body);
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
        docString: `Squeeze-and-Excitation block (@seblock/se-onnxruntime): kind ${spec.excitation.kind} (${kindOfSpec(spec).summary(spec.excitation)}), squeeze ${spec.squeeze}, gate ${JSON.stringify(spec.gate)}, gain ${spec.gain}, ${form.layout}, ${form.squeezeOp}`,
      });
    }
    const actuals = body.weights.map(({ tensorName, tensor }) => graph.weight(tensorName, tensor));
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

// Hostile models: small files that drove earlier versions into exponential time, quadratic
// time, unbounded memory or stack overflows (issue 15, found by a fuzzer). Generated here so
// the tests can scale them; each is a few KB to a few hundred KB.
import {
  encodeModel,
  type FunctionProto,
  type GraphProto,
  type NodeProto,
  onnx,
  TensorDataType,
  type ValueInfoProto,
} from '../../src/proto/onnx.js';
import { floatTensor } from '../../src/proto/tensors.js';
import { concatBytes } from './bytes.js';

const OPSET = [{ domain: '', version: 17 }];

function floatInput(name: string, dims: readonly number[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: TensorDataType.FLOAT,
        shape: { dim: dims.map((d) => ({ dimValue: d })) },
      },
    },
  };
}

function model(graph: GraphProto, functions: FunctionProto[] = []): Uint8Array {
  const domains = [...new Set(functions.map((f) => f.domain ?? ''))];
  return encodeModel({
    irVersion: 8,
    opsetImport: [...OPSET, ...domains.map((domain) => ({ domain, version: 1 }))],
    graph,
    functions,
  });
}

/** x → 1×1 Conv → `depth` × Concat(t, t) on the channel axis → Add(t, x). */
export function concatChain(depth: number): Uint8Array {
  const node: NodeProto[] = [{ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['t0'] }];
  for (let i = 0; i < depth; i++) {
    node.push({
      name: `concat${i}`,
      opType: 'Concat',
      input: [`t${i}`, `t${i}`],
      output: [`t${i + 1}`],
      attribute: [{ name: 'axis', type: 2, i: 1 }],
    });
  }
  node.push({ name: '/stage/Add', opType: 'Add', input: [`t${depth}`, 'x'], output: ['y'] });
  return model({
    name: 'concat-chain',
    node,
    input: [floatInput('x', [1, 1, 4, 4])],
    output: [{ name: 'y' }],
    initializer: [floatTensor('w', [1, 1, 1, 1], [1])],
  });
}

/** `t(i+1) = Add(t(i), x)`: every Add reaches back through all the ones before it. */
export function addChain(length: number): Uint8Array {
  const node: NodeProto[] = [];
  for (let i = 0; i < length; i++)
    node.push({
      name: `a${i}`,
      opType: 'Add',
      input: [i === 0 ? 'x' : `t${i}`, 'x'],
      output: [`t${i + 1}`],
    });
  return model({
    name: 'add-chain',
    node,
    input: [floatInput('x', [1, 1, 2, 2])],
    output: [{ name: `t${length}` }],
  });
}

/** `blocks` residual blocks `t(i+1) = Add(Conv(t(i)), t(i))` named like PyTorch's export. */
export function residualChain(blocks: number): Uint8Array {
  const node: NodeProto[] = [];
  for (let i = 0; i < blocks; i++) {
    node.push(
      { name: `/b${i}/conv/Conv`, opType: 'Conv', input: [`t${i}`, 'w'], output: [`c${i}`] },
      { name: `/b${i}/Add`, opType: 'Add', input: [`c${i}`, `t${i}`], output: [`t${i + 1}`] },
    );
  }
  return model({
    name: 'residual-chain',
    node,
    input: [floatInput('t0', [1, 1, 2, 2])],
    output: [{ name: `t${blocks}` }],
    initializer: [floatTensor('w', [1, 1, 1, 1], [0.5])],
  });
}

/** A model-local function whose body calls itself `calls` times (ONNX forbids recursion). */
export function selfCallingFunction(calls: number): Uint8Array {
  const body: NodeProto[] = [{ opType: 'Relu', input: ['a'], output: ['r'] }];
  for (let i = 0; i < calls; i++)
    body.push({ opType: 'Again', domain: 'hostile', input: ['r'], output: [`b${i}`] });
  body.push({ opType: 'Sum', input: body.slice(1).map((n) => n.output?.[0] ?? ''), output: ['b'] });
  const again: FunctionProto = {
    name: 'Again',
    domain: 'hostile',
    input: ['a'],
    output: ['b'],
    node: body,
    opsetImport: OPSET,
  };
  return model(
    {
      name: 'self-calling',
      node: [{ name: 'call', opType: 'Again', domain: 'hostile', input: ['x'], output: ['y'] }],
      input: [floatInput('x', [1, 1, 2, 2])],
      output: [{ name: 'y' }],
    },
    [again],
  );
}

/** Functions F0 … F(levels-1), each calling the next `calls` times: calls^levels nodes, no recursion. */
export function fanOutFunctions(levels: number, calls: number): Uint8Array {
  const functions: FunctionProto[] = [];
  for (let level = 0; level < levels; level++) {
    const last = level === levels - 1;
    const node: NodeProto[] = last
      ? [{ opType: 'Relu', input: ['a'], output: ['b'] }]
      : Array.from({ length: calls }, (_, i) => ({
          opType: `F${level + 1}`,
          domain: 'hostile',
          input: ['a'],
          output: [i === calls - 1 ? 'b' : `u${i}`],
        }));
    functions.push({
      name: `F${level}`,
      domain: 'hostile',
      input: ['a'],
      output: ['b'],
      node,
      opsetImport: OPSET,
    });
  }
  return model(
    {
      name: 'fan-out',
      node: [{ name: 'call', opType: 'F0', domain: 'hostile', input: ['x'], output: ['y'] }],
      input: [floatInput('x', [1, 1, 2, 2])],
      output: [{ name: 'y' }],
    },
    functions,
  );
}

// Protobuf written by hand: protobufjs's own encoder recurses and overflows the stack at
// about 5,000 levels, and a hostile file is not limited by what an encoder can write.
const encoder = new TextEncoder();
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const key = (field: number, wire: number) => varint(field * 8 + wire);
const stringField = (field: number, text: string) => {
  const bytes = encoder.encode(text);
  return [...key(field, 2), ...varint(bytes.length), ...bytes];
};

/**
 * A model whose graph ends in an `If` whose then_branch holds an `If` … `depth` levels deep,
 * after a 1×1 Conv named 'conv' on the input x [1, 1, 4, 4].
 */
export function nestedIfs(depth: number): Uint8Array {
  // Each level is `head(level) + inner`; sizes come from the inside out, bytes from the outside in.
  const heads: number[][] = [];
  let inner = stringField(2, 'leaf').length; // the innermost graph: only a name
  const leaf = stringField(2, 'leaf');
  for (let level = depth - 1; level >= 0; level--) {
    const attrHead = [
      ...stringField(1, 'then_branch'),
      ...key(20, 0),
      ...varint(5), // AttributeProto.type = GRAPH
      ...key(6, 2),
      ...varint(inner),
    ];
    const attrSize = attrHead.length + inner;
    const nodeHead = [
      ...stringField(1, 'cond'),
      ...stringField(2, `o${level}`),
      ...stringField(3, `if${level}`),
      ...stringField(4, 'If'),
      ...key(5, 2),
      ...varint(attrSize),
    ];
    const nodeSize = nodeHead.length + attrSize;
    // A graph holding the node (field 1); level 0's node goes straight into the main graph.
    const graphHead = [...key(1, 2), ...varint(nodeSize)];
    heads.push([...graphHead, ...nodeHead, ...attrHead]);
    inner = graphHead.length + nodeSize;
  }
  const graph = onnx.GraphProto.encode({
    name: 'nested-ifs',
    node: [{ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['c'] }],
    input: [floatInput('x', [1, 1, 4, 4]), floatInput('cond', [])],
    output: [{ name: 'c' }],
    initializer: [floatTensor('w', [1, 1, 1, 1], [1])],
  }).finish();
  // Protobuf appends repeated fields: the graph's bytes plus one more `node` field (the chain
  // starts with its key) are the graph with the If chain as its last node.
  const parts = [graph, ...heads.reverse().map((h) => Uint8Array.from(h)), Uint8Array.from(leaf)];
  const graphLength = parts.reduce((n, p) => n + p.length, 0);
  const head = encodeModel({ irVersion: 8, opsetImport: OPSET });
  return concatBytes(head, Uint8Array.from([...key(7, 2), ...varint(graphLength)]), ...parts);
}

/** The same model with an initializer that points at a file on disk (ONNX external data). */
export function externalData(path: string): Uint8Array {
  const w = floatTensor('w', [1, 1, 1, 1], []);
  return model({
    name: 'external-data',
    node: [{ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['y'] }],
    input: [floatInput('x', [1, 1, 4, 4])],
    output: [{ name: 'y' }],
    initializer: [
      {
        ...w,
        rawData: undefined,
        dataLocation: 1, // EXTERNAL
        externalData: [
          { key: 'location', value: path },
          { key: 'offset', value: '0' },
          { key: 'length', value: '4' },
        ],
      },
    ],
  });
}

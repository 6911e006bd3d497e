// Mutations for the fuzzer (test/fuzz.test.ts): of the protobuf bytes, and of the graph
// structure (rewired inputs, cycles, duplicate producers, odd ops and attributes, bad
// tensors, external data, recursive functions, subgraphs). Each mutation is plain data
// (small integers), so fast-check can generate, shrink and print it.
import fc from 'fast-check';
import {
  AttributeType,
  encodeModel,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  onnx,
  TensorDataType,
} from '../../src/proto/onnx.js';
import { concatBytes } from './bytes.js';

const KINDS = [
  'rewire',
  'self-loop',
  'rename-output',
  'delete-node',
  'duplicate-node',
  'op-type',
  'domain',
  'attribute',
  'external-data',
  'dims',
  'weight-dims',
  'raw-data',
  'value-info',
  'reverse-nodes',
  'recursive-function',
  'nest-in-if',
  'opset',
] as const;
const OPS = [
  'Conv',
  'Add',
  'Mul',
  'Concat',
  'Relu',
  'Sigmoid',
  'Identity',
  'GlobalAveragePool',
  'ReduceMean',
  'Gemm',
  'MatMul',
  'Flatten',
  'BatchNormalization',
  'If',
  'HardSigmoid',
  'Clip',
  'Custom',
];
const DOMAINS = ['', 'ai.onnx', 'com.example', 'ai.seblock'];
const ATTRIBUTES = [
  'axis',
  'axes',
  'group',
  'alpha',
  'beta',
  'transB',
  'keepdims',
  'min',
  'max',
  'then_branch',
];
// What a hostile model might point external data at: none of these may ever be opened.
export const EXTERNAL_PATHS = [
  '/etc/passwd',
  '../../../secret.bin',
  'weights.bin',
  'C:\\Windows\\win.ini',
];

export interface Mutation {
  readonly kind: (typeof KINDS)[number];
  readonly a: number;
  readonly b: number;
  readonly value: number;
}

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(1000),
  b: fc.nat(1000),
  value: fc.integer({ min: -3, max: 70_000 }),
});

export interface ByteMutation {
  readonly kind: 'flip' | 'truncate' | 'insert' | 'duplicate';
  readonly at: number;
  readonly value: number;
}

export const byteMutationArbitrary: fc.Arbitrary<ByteMutation> = fc.record({
  kind: fc.constantFrom('flip', 'truncate', 'insert', 'duplicate' as const),
  at: fc.nat(),
  value: fc.nat(255),
});

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length === 0 ? undefined : list[i % list.length];

function tensorNames(graph: GraphProto): string[] {
  return [
    ...(graph.input ?? []).map((v) => v.name ?? ''),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.node ?? []).flatMap((n) => n.output ?? []),
  ];
}

function apply(model: ModelProto, m: Mutation): void {
  const graph = model.graph as GraphProto;
  graph.node = graph.node ?? [];
  const nodes = graph.node;
  const node = pick(nodes, m.a);
  const names = tensorNames(graph);
  const init = pick(graph.initializer ?? [], m.a);
  switch (m.kind) {
    case 'rewire':
      if (node?.input?.length) node.input[m.b % node.input.length] = pick(names, m.value) ?? '';
      break;
    case 'self-loop':
      if (node?.input?.length && node.output?.[0]) node.input[0] = node.output[0];
      break;
    case 'rename-output':
      if (node?.output?.length) node.output[0] = pick(names, m.b) ?? '';
      break;
    case 'delete-node':
      nodes.splice(m.a % Math.max(1, nodes.length), 1);
      break;
    case 'duplicate-node':
      if (node)
        nodes.splice(
          m.b % (nodes.length + 1),
          0,
          onnx.NodeProto.fromObject(onnx.NodeProto.toObject(onnx.NodeProto.create(node))),
        );
      break;
    case 'op-type':
      if (node) node.opType = pick(OPS, m.b) as string;
      break;
    case 'domain':
      if (node) node.domain = pick(DOMAINS, m.b) as string;
      break;
    case 'attribute': {
      if (!node) break;
      const name = pick(ATTRIBUTES, m.b) as string;
      const attribute =
        m.value % 3 === 0
          ? { name, type: AttributeType.INT, i: m.value }
          : m.value % 3 === 1
            ? { name, type: AttributeType.INTS, ints: [m.value, -m.value, 0] }
            : { name, type: AttributeType.FLOAT, f: m.value / 7 };
      node.attribute = [...(node.attribute ?? []).filter((x) => x.name !== name), attribute];
      break;
    }
    case 'external-data':
      if (init) {
        init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
        init.externalData = [{ key: 'location', value: pick(EXTERNAL_PATHS, m.b) as string }];
        if (m.value % 2 === 0) init.rawData = new Uint8Array(0);
      }
      break;
    case 'dims':
      if (init)
        init.dims =
          pick([[], [0], [-1], [m.value], [2 ** 31, 2], [m.b, m.value]], m.value + 3) ?? [];
      break;
    case 'weight-dims': {
      // The first dim of a Conv's weight is the channel count channel inference reads.
      const conv = pick(
        nodes.filter((n) => n.opType === 'Conv'),
        m.a,
      );
      const weight = (graph.initializer ?? []).find((t) => t.name === conv?.input?.[1]);
      if (weight?.dims?.length)
        weight.dims = [
          pick([-2, 0, 1, 3, 2 ** 31, 2 ** 53 + 2], m.b) as number,
          ...weight.dims.slice(1),
        ];
      break;
    }
    case 'raw-data':
      if (init?.rawData)
        init.rawData = init.rawData.slice(0, Math.abs(m.value) % (init.rawData.length + 1));
      break;
    case 'value-info': {
      const name = pick(names, m.a);
      if (!name) break;
      const dim = Array.from({ length: m.b % 6 }, (_, i) =>
        i === 1 ? { dimValue: m.value } : { dimParam: 'N' },
      );
      graph.valueInfo = [
        ...(graph.valueInfo ?? []),
        { name, type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim } } } },
      ];
      break;
    }
    case 'reverse-nodes':
      nodes.reverse();
      break;
    case 'recursive-function':
      model.functions = [
        ...(model.functions ?? []),
        {
          name: 'Again',
          domain: 'fuzz',
          input: ['a'],
          output: ['b'],
          node: [{ opType: 'Again', domain: 'fuzz', input: ['a'], output: ['b'] }],
          opsetImport: [{ domain: '', version: 17 }],
        },
      ];
      nodes.push({
        opType: 'Again',
        domain: 'fuzz',
        input: [pick(names, m.b) ?? ''],
        output: ['fuzz_out'],
      });
      model.opsetImport = [...(model.opsetImport ?? []), { domain: 'fuzz', version: 1 }];
      break;
    case 'nest-in-if':
      if (node) {
        const index = nodes.indexOf(node);
        const branch: GraphProto = {
          name: 'then',
          node: [node],
          output: (node.output ?? []).map((name) => ({ name })),
        };
        const wrapper: NodeProto = {
          name: `if_${m.b}`,
          opType: 'If',
          input: [pick(names, m.b) ?? ''],
          output: [...(node.output ?? [])],
          attribute: [{ name: 'then_branch', type: AttributeType.GRAPH, g: branch }],
        };
        nodes.splice(index, 1, wrapper);
      }
      break;
    case 'opset':
      model.opsetImport = [{ domain: '', version: m.value % 30 }];
      break;
  }
}

/** The seed with structural mutations applied (through onnx-proto directly, not the package). */
export function mutateStructure(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  if (mutations.length === 0) return seed;
  const model = onnx.ModelProto.decode(seed);
  for (const m of mutations) apply(model, m);
  return encodeModel(model);
}

/** The bytes with byte-level mutations applied. */
export function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let out = bytes;
  for (const { kind, at, value } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 'flip') {
      out = out.slice();
      out[i] = (out[i] ?? 0) ^ (value || 1);
    } else if (kind === 'truncate') out = out.slice(0, i);
    else if (kind === 'insert')
      out = concatBytes(out.subarray(0, i), Uint8Array.of(value), out.subarray(i));
    else
      out = concatBytes(out.subarray(0, i), out.subarray(i, i + 1 + (value % 64)), out.subarray(i));
  }
  return out;
}

/** Node and tensor names of a model, to aim insertions at (none when it does not decode). */
export function targetsOf(bytes: Uint8Array): string[] {
  try {
    const graph = onnx.ModelProto.decode(bytes).graph;
    return graph ? [...(graph.node ?? []).map((n) => n.name ?? ''), ...tensorNames(graph)] : [];
  } catch {
    return [];
  }
}

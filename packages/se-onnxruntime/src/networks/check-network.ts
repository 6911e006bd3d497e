import { parseSESpec, type SESpec, SESpecError } from '@seblock/se-core';
import {
  type NetworkActivation,
  type NetworkDefinition,
  type NetworkNode,
  type StateDictEntry,
  stateDictSchema,
} from '@seblock/se-core/networks';

/** What flows out of a node: a feature map N×C×H×W (rank 4) or a feature vector N×C (rank 2). */
export interface NodeOutput {
  readonly rank: 2 | 4;
  readonly channels: number;
}

/** A network whose every field the ONNX builder reads was checked, with each node's output. */
export interface CheckedNetwork {
  readonly network: NetworkDefinition;
  readonly outputs: ReadonlyMap<string, NodeOutput>;
  /** The SE nodes' specs as se-core parsed them (defaults filled in). */
  readonly seSpecs: ReadonlyMap<string, SESpec>;
  /** The state_dict the network expects, every name used once. */
  readonly schema: readonly StateDictEntry[];
}

const ACTIVATION_KINDS = ['relu', 'relu6', 'hardswish', 'silu', 'sigmoid', 'gelu', 'hardsigmoid'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Reads one node's fields; every failure names the field and the node. */
class NodeChecker {
  constructor(
    private readonly node: Record<string, unknown>,
    private readonly path: string,
  ) {}

  fail(field: string, expected: string, received: unknown): never {
    throw new SESpecError(
      `${this.path}.${field}`,
      `${expected} (node "${this.node.id}")`,
      received,
    );
  }

  count(field: string): number {
    const v = this.node[field];
    return isCount(v) ? v : this.fail(field, 'an integer >= 1', v);
  }

  text(field: string): string {
    const v = this.node[field];
    return typeof v === 'string' && v !== '' ? v : this.fail(field, 'a non-empty string', v);
  }

  flag(field: string): boolean {
    const v = this.node[field];
    return typeof v === 'boolean' ? v : this.fail(field, 'true or false', v);
  }

  pair(field: string): readonly [number, number] {
    const v = this.node[field];
    if (Array.isArray(v) && v.length === 2 && v.every(isCount)) return v as [number, number];
    return this.fail(field, 'a [height, width] pair of integers >= 1', v);
  }

  padding(field: string, kernel: readonly [number, number]): void {
    const v = this.node[field];
    if (!Array.isArray(v) || v.length !== 4 || !v.every(isSize))
      this.fail(field, '[top, left, bottom, right] integers >= 0', v);
    // PyTorch's own limit for pooling (and the ONNX pads a kernel can see): at most half the kernel.
    if (this.node.op === 'maxPool' && v.some((p: number, i) => p > (kernel[i % 2] as number) / 2))
      this.fail(field, `padding at most half the kernel [${kernel.join(', ')}]`, v);
  }

  rate(field: string, max: number): void {
    const v = this.node[field];
    if (typeof v !== 'number' || !(v >= 0 && v <= max))
      this.fail(field, `a rate in [0, ${max}]`, v);
  }

  activation(): NetworkActivation {
    const a = this.node.activation;
    if (!isRecord(a) || !ACTIVATION_KINDS.includes(a.kind as string))
      this.fail('activation.kind', ACTIVATION_KINDS.join(' | '), isRecord(a) ? a.kind : a);
    if (a.kind === 'hardsigmoid') {
      // Never a framework default: PyTorch's slope is 1/6, ONNX's and Keras 2's 0.2.
      if (typeof a.alpha !== 'number' || !Number.isFinite(a.alpha) || a.alpha === 0)
        this.fail('activation.alpha', 'a finite, non-zero slope (PyTorch: 1/6)', a.alpha);
      if (typeof a.beta !== 'number' || !Number.isFinite(a.beta))
        this.fail('activation.beta', 'a finite offset (PyTorch: 0.5)', a.beta);
    }
    return a as unknown as NetworkActivation;
  }

  /** The input's output, required to be of `rank` (and `channels`, when given). */
  expectInput(input: NodeOutput, rank: 2 | 4, channels?: number, field = 'inputs'): void {
    if (input.rank !== rank)
      this.fail(field, `an input of rank ${rank} (${rank === 4 ? 'N×C×H×W' : 'N×C'})`, input.rank);
    if (channels !== undefined && input.channels !== channels)
      this.fail(field, `an input with ${channels} channels`, `${input.channels} channels`);
  }
}

/** Arity of each op; anything else is an unknown op. */
const ARITY: Readonly<Record<NetworkNode['op'], number>> = {
  input: 0,
  conv2d: 1,
  batchNorm: 1,
  activation: 1,
  se: 1,
  add: 2,
  maxPool: 1,
  globalAvgPool: 1,
  linear: 1,
  dropout: 1,
  stochasticDepth: 1,
};

function checkNode(
  check: NodeChecker,
  node: Record<string, unknown>,
  inputs: readonly NodeOutput[],
  seSpecs: Map<string, SESpec>,
  path: string,
): NodeOutput {
  const [a, b] = inputs as [NodeOutput, NodeOutput];
  switch (node.op as NetworkNode['op']) {
    case 'input':
      return { rank: 4, channels: check.count('channels') };
    case 'conv2d': {
      check.text('module');
      const inChannels = check.count('inChannels');
      const outChannels = check.count('outChannels');
      const kernel = check.pair('kernel');
      check.pair('stride');
      check.pair('dilation');
      check.padding('padding', kernel);
      const groups = check.count('groups');
      if (inChannels % groups !== 0 || outChannels % groups !== 0)
        check.fail(
          'groups',
          `a divisor of inChannels ${inChannels} and outChannels ${outChannels}`,
          groups,
        );
      check.flag('bias');
      check.expectInput(a, 4, inChannels);
      return { rank: 4, channels: outChannels };
    }
    case 'batchNorm': {
      check.text('module');
      const channels = check.count('channels');
      if (typeof node.eps !== 'number' || !(node.eps >= 0) || !Number.isFinite(node.eps))
        check.fail('eps', 'a finite number >= 0', node.eps);
      check.expectInput(a, 4, channels);
      return a;
    }
    case 'activation':
      check.activation();
      return a;
    case 'se': {
      check.text('module');
      const spec = parseSESpec(node.spec, `${path}.spec`);
      check.expectInput(a, 4, spec.channels);
      seSpecs.set(node.id as string, spec);
      return a;
    }
    case 'add':
      check.expectInput(b, a.rank, a.channels, 'inputs[1]');
      return a;
    case 'maxPool':
      check.padding('padding', check.pair('kernel'));
      check.pair('stride');
      check.expectInput(a, 4);
      return a;
    case 'globalAvgPool':
      check.expectInput(a, 4);
      return { rank: 2, channels: a.channels };
    case 'linear': {
      check.text('module');
      const inFeatures = check.count('inFeatures');
      const outFeatures = check.count('outFeatures');
      check.flag('bias');
      check.expectInput(a, 2, inFeatures);
      return { rank: 2, channels: outFeatures };
    }
    case 'dropout':
      check.rate('rate', 1);
      return a;
    case 'stochasticDepth':
      check.rate('rate', 1);
      if (node.mode !== 'row') check.fail('mode', '"row"', node.mode);
      return a;
  }
}

/**
 * Checks every field of a {@link NetworkDefinition} that the ONNX graph depends on, and infers
 * each node's output (rank and channels) so that a conv's `inChannels`, an SE spec's `channels`
 * or a Linear's `inFeatures` that disagree with what flows in are caught before anything is
 * built. Throws SESpecError naming the field (`network.nodes[12].kernel`) and the node id.
 * BatchNorm `momentum` is not read: it matters only in training.
 */
export function checkNetwork(network: NetworkDefinition): CheckedNetwork {
  const n = network as unknown as Record<string, unknown>;
  if (!isRecord(n)) throw new SESpecError('network', 'a NetworkDefinition object', network);
  if (n.format !== 'seblock-network')
    throw new SESpecError('network.format', '"seblock-network"', n.format);
  if (n.version !== 1) throw new SESpecError('network.version', '1', n.version);
  if (!isCount(n.numClasses))
    throw new SESpecError('network.numClasses', 'an integer >= 1', n.numClasses);
  if (!Array.isArray(n.nodes) || n.nodes.length < 2)
    throw new SESpecError('network.nodes', 'an array of nodes, the input first', n.nodes);
  const outputs = new Map<string, NodeOutput>();
  const seSpecs = new Map<string, SESpec>();
  n.nodes.forEach((node: unknown, i: number) => {
    const path = `network.nodes[${i}]`;
    if (!isRecord(node)) throw new SESpecError(path, 'a node object', node);
    if (typeof node.id !== 'string' || node.id === '')
      throw new SESpecError(`${path}.id`, 'a non-empty string', node.id);
    if (outputs.has(node.id)) throw new SESpecError(`${path}.id`, 'a unique node id', node.id);
    const check = new NodeChecker(node, path);
    if (!Object.hasOwn(ARITY, node.op as string))
      check.fail('op', Object.keys(ARITY).join(' | '), node.op);
    if ((node.op === 'input') !== (i === 0))
      check.fail(
        'op',
        i === 0 ? '"input" for the first node' : 'not "input" after the first node',
        node.op,
      );
    const arity = ARITY[node.op as NetworkNode['op']];
    if (!Array.isArray(node.inputs) || node.inputs.length !== arity)
      check.fail('inputs', `${arity} input id(s)`, node.inputs);
    const inputs = (node.inputs as unknown[]).map((id, k) => {
      const found = typeof id === 'string' ? outputs.get(id) : undefined;
      return found ?? check.fail(`inputs[${k}]`, 'the id of an earlier node', id);
    });
    outputs.set(node.id, checkNode(check, node, inputs, seSpecs, path));
  });
  const logits = typeof n.output === 'string' ? outputs.get(n.output) : undefined;
  if (!logits) throw new SESpecError('network.output', 'the id of a node', n.output);
  if (logits.rank !== 2 || logits.channels !== n.numClasses) {
    throw new SESpecError(
      'network.output',
      `a node giving N×${n.numClasses} logits (numClasses)`,
      `"${n.output}" giving ${logits.rank === 2 ? 'N×' : 'N×C×H×W, C = '}${logits.channels}`,
    );
  }
  return { network, outputs, seSpecs, schema: uniqueSchema(network) };
}

/** The schema, refused when two nodes would own one tensor (a module path used twice). */
function uniqueSchema(network: NetworkDefinition): readonly StateDictEntry[] {
  const schema = stateDictSchema(network);
  const owners = new Map<string, string>();
  for (const entry of schema) {
    const owner = owners.get(entry.name);
    if (owner !== undefined) {
      const i = network.nodes.findIndex((n) => n.id === entry.node);
      throw new SESpecError(
        `network.nodes[${i}].module`,
        `a module path whose tensors no other node owns (node "${owner}" owns ${entry.name} already)`,
        (network.nodes[i] as { module?: string }).module,
      );
    }
    owners.set(entry.name, entry.node);
  }
  return schema;
}

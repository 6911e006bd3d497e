import type { NetworkDefinition, NetworkNode } from '@seblock/se-core/networks';
import {
  PROFILE_PARTS,
  type ProfileEntry,
  type ProfilePart,
  type ProfileSummary,
  type RawProfile,
} from './types.js';

// Every runtime's profile, folded into one vocabulary so the runtimes can be compared: time in
// the SE blocks (split into pool, FCs, gate and scale where the runtime runs them apart), in
// the residual addition and the ReLU after it (what a fused SE + residual kernel would take
// over), in layout changes the runtime inserts, and in the rest of the network.

type OpKind = 'pool' | 'fc' | 'gate' | 'scale' | 'add' | 'act' | 'layout' | 'fused-se';

// Operator names of every runtime (ONNX op types, PyTorch aten ops, TF.js layer classes and
// kernels), lower-cased. An operator not listed is "other".
const OP_KINDS: Readonly<Record<string, OpKind>> = {
  globalaveragepool: 'pool',
  reducemean: 'pool',
  reducesum: 'pool',
  'aten::mean': 'pool',
  conv: 'fc',
  fusedconv: 'fc',
  gemm: 'fc',
  matmul: 'fc',
  fusedmatmul: 'fc',
  'aten::conv2d': 'fc',
  'aten::linear': 'fc',
  'aten::addmm': 'fc',
  seblocktorchconv2d: 'fc',
  dense: 'fc',
  sigmoid: 'gate',
  hardsigmoid: 'gate',
  'aten::sigmoid': 'gate',
  'aten::hardsigmoid': 'gate',
  mul: 'scale',
  'aten::mul': 'scale',
  // se-onnxruntime's 'nchwc' scale form expands the channel weights before the Mul.
  upsample: 'scale',
  resize: 'scale',
  add: 'add',
  'aten::add': 'add',
  'aten::add_': 'add',
  relu: 'act',
  'aten::relu': 'act',
  'aten::relu_': 'act',
  'aten::clamp_min_': 'act',
  seblocktorchactivation: 'act',
  reorderinput: 'layout',
  reorderoutput: 'layout',
  transpose: 'layout',
  permute: 'layout',
  seblocksqueezeexcite: 'fused-se',
  squeezeexcite: 'fused-se',
};

const SE_PARTS: Readonly<Partial<Record<OpKind, ProfilePart>>> = {
  pool: 'se.pool',
  fc: 'se.fc',
  act: 'se.fc',
  add: 'se.fc',
  gate: 'se.gate',
  scale: 'se.scale',
};

const BOUNDARY = new Set(['/', '.', '_']);

/**
 * The IR node a runtime's name belongs to: the longest node id that is the whole name or its
 * start followed by `/`, `.` or `_` (ONNX `layer1.0.se/scale`, onnxruntime's fused
 * `layer1.0.bn3_output_nchwc`, PyTorch's `layer1.0.se.fc1`). Undefined for names of the
 * runtime's own (onnxruntime's `ReorderOutput_token_12`).
 */
export function irNodeOf(
  name: string,
  nodes: ReadonlyMap<string, NetworkNode>,
): NetworkNode | undefined {
  for (let end = name.length; end > 0; end--) {
    if (end < name.length && !BOUNDARY.has(name[end] as string)) continue;
    const node = nodes.get(name.slice(0, end));
    if (node && node.op !== 'input') return node;
  }
  return undefined;
}

/** Which part of the network one profile entry's time belongs to. */
export function partOf(
  entry: Pick<ProfileEntry, 'node' | 'op'>,
  nodes: ReadonlyMap<string, NetworkNode>,
): ProfilePart {
  const kind = OP_KINDS[entry.op.toLowerCase()];
  const node = irNodeOf(entry.node, nodes);
  // Inside an SE block: its parts where the runtime runs them apart; otherwise (TF.js' fused
  // kernel, a layout op of the block's own) the block as a whole.
  if (node?.op === 'se') {
    // se-onnxruntime's fused SE scale + residual + ReLU (one Conv on batch-1 onnxruntime-node
    // sessions): charged to the scale, since the plain network's residual costs nothing apart
    // (it is fused into the block's last conv there).
    if (/\/fused_residual(_\d+)?$/.test(entry.node)) return 'se.scale';
    return (kind && SE_PARTS[kind]) || 'se';
  }
  // The residual add and the ReLU on its output; a conv a runtime fused them into stays "rest",
  // unless the conv is the add's own (the 'nchwc' form's identity shortcut, which carries them).
  const afterAdd = node?.op === 'activation' && nodes.get(node.inputs[0] ?? '')?.op === 'add';
  const ofAdd = node?.op === 'add' && (kind === 'add' || kind === 'fc');
  if (ofAdd || (afterAdd && kind === 'act')) return 'residual';
  return kind === 'layout' ? 'layout' : 'rest';
}

/** A profile folded into parts (ms per forward), with its total. */
export function summariseProfile(raw: RawProfile, network: NetworkDefinition): ProfileSummary {
  const nodes = new Map(network.nodes.map((n) => [n.id, n]));
  const parts = Object.fromEntries(PROFILE_PARTS.map((p) => [p, 0])) as Record<ProfilePart, number>;
  let totalMs = 0;
  for (const entry of raw.entries) {
    parts[partOf(entry, nodes)] += entry.ms;
    totalMs += entry.ms;
  }
  const { entries: _entries, logits: _logits, ...rest } = raw;
  return { ...rest, totalMs, parts };
}

/** All SE parts together. */
export function seTotal(parts: Readonly<Record<ProfilePart, number>>): number {
  return parts['se.pool'] + parts['se.fc'] + parts['se.gate'] + parts['se.scale'] + parts.se;
}

import {
  type CheckpointTensor,
  float32Tensor,
  int64Tensor,
  writeCheckpoint,
} from './checkpoint.js';
import { elementCount, type StateDictEntry, stateDictSchema, type TensorRole } from './schema.js';
import type { NetworkDefinition } from './types.js';

/**
 * Seeded test weights that Python (packages/se-core/scripts/make_network_fixtures.py) and
 * TypeScript generate bit for bit alike, so full-size networks are tested against PyTorch
 * without committing their weights. Only uint32 arithmetic and correctly rounded float64
 * operations are used; the float32 value is the float64 one rounded to nearest.
 *
 * - `nameHash = fnv1a32(utf8(name))`
 * - `bits(i) = fmix32(nameHash ^ fmix32(i + seed · 0x9E3779B9))` (all mod 2³²; fmix32 is
 *   MurmurHash3's finaliser)
 * - `s(i) = 2 · (bits(i) >>> 8) / 2²⁴ − 1`, uniform in [−1, 1), exact
 * - by role: conv/linear weights `s · sqrt(3 / fanIn)` (variance 1/fanIn, so activations keep
 *   their scale through deep stacks without BatchNorm's help); biases `0.1 · s`; BN weight and
 *   running_var `1 + 0.5 · s`; BN bias and running_mean `0.2 · s`; num_batches_tracked
 *   `bits(i) % 100000`; an input image `s`.
 */

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The uint32 stream of one tensor. */
export function seededBits(seed: number, name: string, count: number): Uint32Array {
  const nameHash = fnv1a32(name);
  const offset = Math.imul(seed >>> 0, 0x9e3779b9) >>> 0;
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = fmix32(nameHash ^ fmix32((i + offset) >>> 0));
  return out;
}

function scaleOf(role: TensorRole, fanIn: number): [offset: number, scale: number] {
  switch (role) {
    case 'convWeight':
    case 'linearWeight':
      return [0, Math.sqrt(3 / fanIn)];
    case 'convBias':
    case 'linearBias':
      return [0, 0.1];
    case 'bnWeight':
    case 'bnRunningVar':
      return [1, 0.5];
    default:
      return [0, 0.2];
  }
}

/** Seeded float32 values: `offset + scale · s(i)`. */
export function seededFloats(
  seed: number,
  name: string,
  count: number,
  offset = 0,
  scale = 1,
): Float32Array {
  const bits = seededBits(seed, name, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const s = (2 * ((bits[i] as number) >>> 8)) / 16777216 - 1;
    out[i] = offset + scale * s;
  }
  return out;
}

/** A seeded tensor's values for one state_dict entry. */
export function seededEntry(seed: number, entry: StateDictEntry): Float32Array | BigInt64Array {
  const count = elementCount(entry.shape);
  if (entry.dtype === 'I64') {
    return BigInt64Array.from(seededBits(seed, entry.name, count), (b) => BigInt(b % 100000));
  }
  const [offset, scale] = scaleOf(entry.role, entry.fanIn);
  return seededFloats(seed, entry.name, count, offset, scale);
}

/**
 * The whole seeded state_dict of a network, by PyTorch name.
 *
 * @example
 * ```ts
 * const weights = seededStateDict(seResNet50({ width: 1 / 32, numClasses: 10 }), 7);
 * weights.get('fc.weight'); // Float32Array(…)
 * ```
 */
export function seededStateDict(
  network: NetworkDefinition,
  seed: number,
): Map<string, Float32Array | BigInt64Array> {
  return new Map(stateDictSchema(network).map((e) => [e.name, seededEntry(seed, e)]));
}

/**
 * The seeded weights as the `model.safetensors` PyTorch would write for the network (its
 * names, shapes and dtypes, I64 `num_batches_tracked` included): a full-size checkpoint for
 * tests, demos and benchmarks without committing or downloading one (SE-ResNet-50: 112 MB,
 * about a second). Each tensor's values are dropped once its bytes exist, so the peak stays
 * near one copy.
 *
 * @example
 * ```ts
 * await writeFile('model.safetensors', seededCheckpoint(seResNet50(), 20240613));
 * ```
 */
export function seededCheckpoint(network: NetworkDefinition, seed: number): Uint8Array {
  const tensors = new Map<string, CheckpointTensor>();
  for (const entry of stateDictSchema(network)) {
    const values = seededEntry(seed, entry);
    tensors.set(
      entry.name,
      values instanceof BigInt64Array
        ? int64Tensor(entry.shape, values)
        : float32Tensor(entry.shape, values),
    );
  }
  return writeCheckpoint(tensors, { format: 'pt' });
}

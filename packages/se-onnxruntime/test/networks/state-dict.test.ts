// Hostile state_dicts: one typed error listing every problem, thrown before anything is built;
// the caller's bytes and arrays are never modified nor shared with the model.
import { SEImportError, SEWeightFormatError } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  type CheckpointTensor,
  checkpointFloats,
  float32Tensor,
  readCheckpoint,
  writeCheckpoint,
} from '../../../se-core/src/networks/index.js';
import { numberToHalfBits } from '../../../se-core/src/weights/float16.js';
import { buildNetworkModel, type StateDictProblems } from '../../src/networks/index.js';
import { smallCase } from '../support/networks.js';
import { thrown } from '../support/thrown.js';

const { network, stateDict: bytes } = smallCase('seresnet50');
const reference = buildNetworkModel(network, bytes);
const tensors = () => new Map(readCheckpoint(bytes).tensors);

function mismatchOf(fn: () => unknown): StateDictProblems {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(SEImportError);
  expect((error as SEImportError).field).toBe('stateDict');
  return (error as SEImportError).received as StateDictProblems;
}

/** A float tensor of the checkpoint with `edit` applied to a copy of its values, shape kept. */
function edited(t: Map<string, CheckpointTensor>, name: string, edit: (v: Float32Array) => void) {
  const tensor = t.get(name) as CheckpointTensor;
  const values = checkpointFloats(tensor, name);
  edit(values);
  t.set(name, float32Tensor(tensor.shape, values));
}

describe('state_dict', () => {
  it('names every missing, unexpected, wrong-shape, wrong-dtype and non-finite tensor in one error', () => {
    const t = tensors();
    const fcShape = (t.get('fc.weight') as CheckpointTensor).shape;
    t.delete('layer1.0.se.fc1.weight');
    t.delete('fc.bias');
    t.set('head.extra', float32Tensor([2], new Float32Array(2)));
    t.set('fc.weight', float32Tensor([10, 127], new Float32Array(1270)));
    t.set('bn1.weight', { ...(t.get('bn1.weight') as CheckpointTensor), dtype: 'I32' });
    edited(t, 'layer2.0.conv1.weight', (v) => {
      v[1] = Number.NaN;
      v[2] = -Infinity;
    });
    edited(t, 'layer1.0.bn1.running_var', (v) => {
      v[0] = -1;
    });
    const error = thrown(() => buildNetworkModel(network, t)) as SEImportError;
    expect(error).toBeInstanceOf(SEImportError);
    const m = error.received as StateDictProblems;
    expect(m.missing).toEqual(['layer1.0.se.fc1.weight', 'fc.bias']);
    expect(m.unexpected).toEqual(['head.extra']);
    expect(m.wrongShape).toEqual([{ name: 'fc.weight', expected: fcShape, received: [10, 127] }]);
    expect(m.wrongDtype).toEqual(['bn1.weight: I32 (expected F32 or F64 or F16 or BF16)']);
    expect(m.badValues).toEqual([
      'layer1.0.bn1.running_var: 1 negative variance(s)',
      'layer2.0.conv1.weight: 2 NaN or ±Infinity value(s) (first at index 1)',
    ]);
    expect(m.hint).toBe('');
    for (const name of [
      'layer1.0.se.fc1.weight',
      'fc.bias',
      'head.extra',
      'fc.weight',
      'bn1.weight',
      'running_var',
      'layer2.0.conv1.weight',
    ])
      expect(error.message).toContain(name);
  });

  it('says when every name carries a wrapper prefix (nn.DataParallel)', () => {
    const prefixed = new Map([...tensors()].map(([k, v]) => [`module.${k}`, v]));
    const m = mismatchOf(() => buildNetworkModel(network, writeCheckpoint(prefixed)));
    expect(m.missing.length).toBeGreaterThan(300);
    expect(m.unexpected.length).toBe(384);
    expect(m.hint).toContain('"module."');
  });

  it('names a tensor of another architecture', () => {
    const m = mismatchOf(() => buildNetworkModel(smallCase('resnet50').network, bytes));
    // SE-ResNet-50 is ResNet-50 plus the SE blocks: exactly those are unexpected.
    expect(m.missing).toEqual([]);
    expect(m.unexpected.length).toBeGreaterThan(0);
    expect(m.unexpected.every((name) => /\.se\.fc[12]\.(weight|bias)$/.test(name))).toBe(true);
  });

  it('accepts a state_dict without num_batches_tracked, as PyTorch does, and builds the same model', () => {
    const t = tensors();
    for (const name of [...t.keys()]) if (name.endsWith('num_batches_tracked')) t.delete(name);
    expect(buildNetworkModel(network, t)).toEqual(reference);
  });

  it('rounds F64 and F16 checkpoints to float32', () => {
    const asF64 = new Map(
      [...tensors()].map(([k, v]) => {
        if (v.dtype !== 'F32') return [k, v];
        const values = Float64Array.from(checkpointFloats(v, k));
        return [k, { dtype: 'F64' as const, shape: v.shape, bytes: new Uint8Array(values.buffer) }];
      }),
    );
    expect(
      buildNetworkModel(network, writeCheckpoint(asF64 as Map<string, CheckpointTensor>)),
    ).toEqual(reference);
    // F16: the model equals the one built from F32 values that are the halves' values.
    const halves = new Map<string, CheckpointTensor>();
    const rounded = new Map<string, CheckpointTensor>();
    for (const [k, v] of tensors()) {
      if (v.dtype !== 'F32') {
        halves.set(k, v);
        rounded.set(k, v);
        continue;
      }
      const bits = Uint16Array.from(checkpointFloats(v, k), numberToHalfBits);
      const half = { dtype: 'F16' as const, shape: v.shape, bytes: new Uint8Array(bits.buffer) };
      halves.set(k, half);
      rounded.set(k, float32Tensor(v.shape, checkpointFloats(half, k)));
    }
    expect(buildNetworkModel(network, halves)).toEqual(buildNetworkModel(network, rounded));
  });

  it('takes bare typed arrays (shape from the schema) and checks their length', () => {
    const arrays = new Map<string, Float32Array | BigInt64Array>(
      [...tensors()].map(([k, v]) => [
        k,
        v.dtype === 'I64' ? new BigInt64Array(1) : checkpointFloats(v, k),
      ]),
    );
    expect(buildNetworkModel(network, arrays)).toEqual(reference);
    arrays.set('fc.bias', new Float32Array(3));
    arrays.set('bn1.bias', new Int32Array(1) as unknown as Float32Array);
    const m = mismatchOf(() => buildNetworkModel(network, arrays));
    expect(m.wrongShape).toEqual([{ name: 'fc.bias', expected: [10], received: [3] }]);
    expect(m.wrongDtype).toEqual([
      'bn1.bias: Int32Array (expected Float32Array, Float64Array or a checkpoint tensor)',
    ]);
  });

  it('refuses what is not a state_dict, and truncated safetensors, with SEWeightFormatError', () => {
    for (const bad of ['model.safetensors', null, { 'fc.weight': [] }, new Uint8Array(3)])
      expect(() => buildNetworkModel(network, bad as never)).toThrow(SEWeightFormatError);
    expect(() => buildNetworkModel(network, bytes.subarray(0, bytes.length - 5))).toThrow(
      /truncated|expected/,
    );
  });

  it("never modifies nor shares the caller's bytes and arrays", () => {
    const mine = bytes.slice();
    const model = buildNetworkModel(network, mine);
    const before = model.slice();
    expect(mine).toEqual(bytes);
    mine.fill(0);
    expect(model).toEqual(before);
    const arrays = new Map(
      [...tensors()]
        .filter(([, v]) => v.dtype === 'F32')
        .map(([k, v]) => [k, checkpointFloats(v, k)]),
    );
    const copies = new Map([...arrays].map(([k, v]) => [k, v.slice()]));
    const fromArrays = buildNetworkModel(network, arrays);
    const snapshot = fromArrays.slice();
    expect(arrays).toEqual(copies);
    for (const values of arrays.values()) values.fill(7);
    expect(fromArrays).toEqual(snapshot);
  });
});

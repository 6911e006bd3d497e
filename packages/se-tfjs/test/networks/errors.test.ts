import { SEImportError, SEWeightFormatError } from '@seblock/se-core';
import { readCheckpoint, SEStateDictError, writeCheckpoint } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import {
  buildNetworkModel,
  exportPyTorchStateDict,
  loadPyTorchStateDict,
} from '../../src/networks/index.js';
import { useBackend } from '../support/node-backends.js';

beforeAll(() => useBackend('cpu'));

describe('loadPyTorchStateDict refuses a checkpoint that does not fit, before setting anything', () => {
  it('names every missing, unexpected and mis-shaped tensor at once (se-core’s policy, as onnxruntime’s)', () => {
    const c = smallCase('seresnet50');
    const tensors = new Map(readCheckpoint(c.stateDict).tensors);
    const fc = tensors.get('fc.weight');
    tensors.delete('layer1.0.se.fc1.bias');
    tensors.delete('bn1.num_batches_tracked');
    tensors.set('head.weight', fc as never);
    tensors.set('layer2.0.conv2.weight', fc as never);
    const model = buildNetworkModel(c.network);
    const before = exportPyTorchStateDict(model);
    let error: unknown;
    try {
      loadPyTorchStateDict(model, writeCheckpoint(tensors));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SEStateDictError);
    expect(error).toBeInstanceOf(SEImportError);
    const e = error as SEStateDictError;
    // num_batches_tracked may be absent (PyTorch's load_state_dict allows it): not missing.
    expect(e.missing).toEqual(['layer1.0.se.fc1.bias']);
    expect(e.unexpected).toEqual(['head.weight']);
    expect(e.wrongShape).toEqual([
      { name: 'layer2.0.conv2.weight', expected: [2, 2, 3, 3], received: [10, 32] },
    ]);
    expect(e.message).toMatch(
      /1 missing: layer1.0.se.fc1.bias; 1 unexpected: head.weight; 1 of another shape: layer2.0.conv2.weight \[10, 32\] \(expected \[2, 2, 3, 3\]\)/,
    );
    expect(exportPyTorchStateDict(model)).toEqual(before); // nothing was set
    model.dispose();
  });

  it('rejects a num_batches_tracked TF.js cannot hold, and a truncated file', () => {
    const c = smallCase('seresnet50');
    const tensors = new Map(readCheckpoint(c.stateDict).tensors);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 40n, true);
    tensors.set('bn1.num_batches_tracked', { dtype: 'I64', shape: [], bytes: big });
    const tensorsBefore = tf.memory().numTensors;
    expect(() => loadPyTorchStateDict(c.network, writeCheckpoint(tensors))).toThrow(
      /bn1.num_batches_tracked/,
    );
    expect(() => loadPyTorchStateDict(c.network, c.stateDict.subarray(0, 1000))).toThrow(
      SEWeightFormatError,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore); // the model built for the failed load is freed
  });
});

describe('the same policy as the onnxruntime adapter', () => {
  it('loads a checkpoint without num_batches_tracked (the counters stay 0) and refuses NaN weights', () => {
    const c = smallCase('seresnet50');
    const tensors = new Map(readCheckpoint(c.stateDict).tensors);
    for (const name of [...tensors.keys()])
      if (name.endsWith('num_batches_tracked')) tensors.delete(name);
    const model = loadPyTorchStateDict(c.network, writeCheckpoint(tensors));
    const exported = readCheckpoint(exportPyTorchStateDict(model)).tensors;
    expect([...(exported.get('bn1.num_batches_tracked')?.bytes ?? [])]).toEqual(
      new Array(8).fill(0),
    );
    model.dispose();

    const poisoned = new Map(readCheckpoint(c.stateDict).tensors);
    const w = poisoned.get('fc.weight');
    const bytes = Uint8Array.from(w?.bytes ?? []);
    new DataView(bytes.buffer).setFloat32(4, Number.NaN, true);
    poisoned.set('fc.weight', { dtype: 'F32', shape: w?.shape ?? [], bytes });
    expect(() => loadPyTorchStateDict(c.network, writeCheckpoint(poisoned))).toThrow(
      /fc.weight: 1 NaN or ±Infinity value/,
    );
  });
});

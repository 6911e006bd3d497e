// Bad input: typed errors that name what is wrong, thrown before anything is built; the
// caller's bytes and arrays are never modified nor shared with the model.
import { SEImportError, SEShapeError, SESpecError, SEWeightFormatError } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  type CheckpointTensor,
  checkpointFloats,
  float32Tensor,
  type NetworkDefinition,
  readCheckpoint,
  writeCheckpoint,
} from '../../../se-core/src/networks/index.js';
import { numberToHalfBits } from '../../../se-core/src/weights/float16.js';
import { type OrtModuleLike, SEModelError } from '../../src/index.js';
import {
  buildNetworkModel,
  loadNetworkSession,
  type StateDictMismatch,
} from '../../src/networks/index.js';
import { smallCase } from '../support/networks.js';

const { network, stateDict: bytes } = smallCase('seresnet50');
const reference = buildNetworkModel(network, bytes);
const tensors = () => new Map(readCheckpoint(bytes).tensors);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function mismatchOf(fn: () => unknown): StateDictMismatch {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(SEImportError);
  expect((error as SEImportError).field).toBe('stateDict');
  return (error as SEImportError).received as StateDictMismatch;
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
    const m = error.received as StateDictMismatch;
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

type Mutable = Record<string, unknown> & { nodes: Record<string, unknown>[] };

/** A deep copy of `net` (plain JSON) changed by `edit`. */
function broken(net: NetworkDefinition, edit: (n: Mutable) => void): NetworkDefinition {
  const copy = JSON.parse(JSON.stringify(net)) as Mutable;
  edit(copy);
  return copy as unknown as NetworkDefinition;
}

const index = (id: string) => network.nodes.findIndex((n) => n.id === id);
const mobile = smallCase('mobilenet_v3_small').network;
const hardsigmoidSE = mobile.nodes.findIndex((n) => n.op === 'se');
const CONV = index('conv1');
const BN = index('bn1');
const POOL = index('maxpool');
const SE = index('layer1.0.se');
const FC = index('fc');
const AVG = index('global_pool');

const BAD_NETWORKS: readonly [string, (n: Mutable) => void, string][] = [
  [
    'format',
    (n) => {
      n.format = 'onnx';
    },
    'network.format',
  ],
  [
    'version',
    (n) => {
      n.version = 2;
    },
    'network.version',
  ],
  [
    'numClasses',
    (n) => {
      n.numClasses = 0;
    },
    'network.numClasses',
  ],
  [
    'no nodes',
    (n) => {
      n.nodes = [];
    },
    'network.nodes',
  ],
  [
    'first node not the input',
    (n) => {
      n.nodes.shift();
    },
    'network.nodes[0].op',
  ],
  [
    'unknown op',
    (n) => {
      (n.nodes[CONV] as Mutable).op = 'softmax';
    },
    `network.nodes[${CONV}].op`,
  ],
  [
    'duplicate id',
    (n) => {
      (n.nodes[BN] as Mutable).id = 'conv1';
    },
    `network.nodes[${BN}].id`,
  ],
  [
    'input from a later node',
    (n) => {
      (n.nodes[CONV] as Mutable).inputs = ['bn1'];
    },
    `network.nodes[${CONV}].inputs[0]`,
  ],
  [
    'conv kernel',
    (n) => {
      (n.nodes[CONV] as Mutable).kernel = [7];
    },
    `network.nodes[${CONV}].kernel`,
  ],
  [
    'conv stride',
    (n) => {
      (n.nodes[CONV] as Mutable).stride = [0, 2];
    },
    `network.nodes[${CONV}].stride`,
  ],
  [
    'conv padding',
    (n) => {
      (n.nodes[CONV] as Mutable).padding = [3, 3, -1, 3];
    },
    `network.nodes[${CONV}].padding`,
  ],
  [
    'conv groups',
    (n) => {
      (n.nodes[CONV] as Mutable).groups = 2;
    },
    `network.nodes[${CONV}].groups`,
  ],
  [
    'conv inChannels',
    (n) => {
      (n.nodes[CONV] as Mutable).inChannels = 4;
    },
    `network.nodes[${CONV}].inputs`,
  ],
  [
    'conv bias',
    (n) => {
      (n.nodes[CONV] as Mutable).bias = 'yes';
    },
    `network.nodes[${CONV}].bias`,
  ],
  [
    'batchNorm eps',
    (n) => {
      (n.nodes[BN] as Mutable).eps = Number.NaN;
    },
    `network.nodes[${BN}].eps`,
  ],
  [
    'batchNorm channels',
    (n) => {
      (n.nodes[BN] as Mutable).channels = 2;
    },
    `network.nodes[${BN}].inputs`,
  ],
  [
    'maxPool padding over half the kernel',
    (n) => {
      (n.nodes[POOL] as Mutable).padding = [2, 2, 2, 2];
    },
    `network.nodes[${POOL}].padding`,
  ],
  [
    'activation kind',
    (n) => {
      (n.nodes[BN + 1] as Mutable).activation = { kind: 'swish' };
    },
    `network.nodes[${BN + 1}].activation.kind`,
  ],
  [
    'SE spec',
    (n) => {
      ((n.nodes[SE] as Mutable).spec as Mutable).reducedChannels = 0;
    },
    `network.nodes[${SE}].spec.reducedChannels`,
  ],
  [
    'SE channels',
    (n) => {
      ((n.nodes[SE] as Mutable).spec as Mutable).channels = 8;
    },
    `network.nodes[${SE}].inputs`,
  ],
  [
    'linear on a feature map',
    (n) => {
      (n.nodes[FC] as Mutable).inputs = [n.nodes[AVG - 1]?.id];
    },
    `network.nodes[${FC}].inputs`,
  ],
  [
    'linear inFeatures',
    (n) => {
      (n.nodes[FC] as Mutable).inFeatures = 3;
    },
    `network.nodes[${FC}].inputs`,
  ],
  [
    'output unknown',
    (n) => {
      n.output = 'head';
    },
    'network.output',
  ],
  [
    'output a feature map',
    (n) => {
      n.output = 'conv1';
    },
    'network.output',
  ],
];

describe('NetworkDefinition', () => {
  it.each(BAD_NETWORKS)(
    'refuses a bad %s with an SESpecError naming the field',
    (_, edit, field) => {
      const error = thrown(() => buildNetworkModel(broken(network, edit), bytes));
      expect(error).toBeInstanceOf(SESpecError);
      expect((error as SESpecError).field).toBe(field);
    },
  );

  it('refuses a hard-sigmoid without an explicit non-zero slope, and bad dropout fields', () => {
    const mobileBytes = smallCase('mobilenet_v3_small').stateDict;
    const gate = thrown(() =>
      buildNetworkModel(
        broken(mobile, (n) => {
          ((n.nodes[hardsigmoidSE] as Mutable).spec as Mutable).gate = { type: 'hardsigmoid' };
        }),
        mobileBytes,
      ),
    ) as SESpecError;
    expect(gate.field).toBe(`network.nodes[${hardsigmoidSE}].spec.gate.alpha`);
    const act = mobile.nodes.findIndex((n) => n.op === 'activation');
    const slope = thrown(() =>
      buildNetworkModel(
        broken(mobile, (n) => {
          (n.nodes[act] as Mutable).activation = { kind: 'hardsigmoid', alpha: 0, beta: 0.5 };
        }),
        mobileBytes,
      ),
    ) as SESpecError;
    expect(slope.field).toBe(`network.nodes[${act}].activation.alpha`);
    const drop = mobile.nodes.findIndex((n) => n.op === 'dropout');
    const rate = thrown(() =>
      buildNetworkModel(
        broken(mobile, (n) => {
          (n.nodes[drop] as Mutable).rate = 1.5;
        }),
        mobileBytes,
      ),
    ) as SESpecError;
    expect(rate.field).toBe(`network.nodes[${drop}].rate`);
  });

  it('checks the network before the state_dict, and options before both', () => {
    const badNet = broken(network, (n) => {
      n.version = 3;
    });
    expect(() => buildNetworkModel(badNet, new Uint8Array(3))).toThrow(/network\.version/);
    expect(() => buildNetworkModel(badNet, new Uint8Array(3), { opset: 99 })).toThrow(SEModelError);
  });
});

describe('options', () => {
  it.each([
    [{ opset: 13 }, SEModelError, 'options.opset'],
    [{ inputLayout: 'NCWH' }, SESpecError, 'options.inputLayout'],
    [{ batch: 0 }, SESpecError, 'options.batch'],
    [{ height: '' }, SESpecError, 'options.height'],
    [{ inputName: 'y', outputName: 'y' }, SESpecError, 'options.outputName'],
    [{ fullyConnected: 'dense' }, SESpecError, 'options.fullyConnected'],
    [{ squeezeOp: 'mean' }, SESpecError, 'options.squeezeOp'],
    [{ erf: 'tanh' }, SESpecError, 'options.erf'],
  ] as const)('refuses %j', (options, type, field) => {
    const error = thrown(() => buildNetworkModel(network, bytes, options as never));
    expect(error).toBeInstanceOf(type);
    expect((error as SESpecError).field).toBe(field);
  });
});

describe('loadNetworkSession', () => {
  let created = 0;
  const ort: OrtModuleLike = {
    InferenceSession: {
      create: async () => {
        created++;
        throw new Error('not reached by these tests');
      },
    },
    Tensor: class {} as unknown as OrtModuleLike['Tensor'],
  };

  it('refuses bad input before any session is made', async () => {
    await expect(
      loadNetworkSession('seresnet51' as never, bytes, { runtime: 'node', ort }),
    ).rejects.toThrow(/seresnet50, seresnet101/);
    await expect(
      loadNetworkSession(network, new Uint8Array(9), { runtime: 'node', ort }),
    ).rejects.toThrow(SEWeightFormatError);
    // The name builds the full-size network: the reduced-width checkpoint does not fit it.
    await expect(loadNetworkSession('seresnet50', bytes, { runtime: 'node', ort })).rejects.toThrow(
      SEImportError,
    );
    await expect(loadNetworkSession(network, bytes, null as never)).rejects.toThrow(SEModelError);
    // webgpu computes ReduceMean wrong (README): asking for it there is refused.
    await expect(
      loadNetworkSession(network, bytes, {
        runtime: 'web',
        executionProviders: ['webgpu'],
        squeezeOp: 'reduce',
        ort,
      }),
    ).rejects.toThrow(SESpecError);
    expect(created).toBe(0);
  });

  it('builds by name with the builder options and checks the image shape on run', async () => {
    const small = smallCase('seresnet50');
    const session = await loadNetworkSession('seresnet50', small.stateDict, {
      runtime: 'node',
      network: { width: 1 / 64, numClasses: 10 },
    });
    expect(session.network.architecture).toBe('seresnet50');
    await expect(session.run(small.x, [2, 37, 29, 3])).rejects.toThrow(SEShapeError);
    expect((await session.run(small.x, small.inputShape)).length).toBe(20);
    await session.dispose();
  });
});

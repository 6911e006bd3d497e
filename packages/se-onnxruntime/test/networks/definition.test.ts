// Hostile network definitions, options and session calls: typed errors naming the field,
// thrown before any model or session is made.
import { SEImportError, SEShapeError, SESpecError, SEWeightFormatError } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import type { NetworkDefinition } from '../../../se-core/src/networks/index.js';
import { type OrtModuleLike, SEModelError } from '../../src/index.js';
import { buildNetworkModel, loadNetworkSession } from '../../src/networks/index.js';
import { smallCase } from '../support/networks.js';
import { thrown } from '../support/thrown.js';

const { network, stateDict: bytes } = smallCase('seresnet50');

type Path = readonly (string | number)[];

/** A deep copy of `net` (plain JSON) with the value at `path` replaced. */
function broken(net: NetworkDefinition, path: Path, value: unknown): NetworkDefinition {
  const copy = JSON.parse(JSON.stringify(net));
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  parent[path[path.length - 1] as string] = value;
  return copy;
}

const resnet = { network, bytes };
const mobile = smallCase('mobilenet_v3_small');
const at = (net: NetworkDefinition, test: (n: NetworkDefinition['nodes'][number]) => boolean) =>
  net.nodes.findIndex(test);
const CONV = at(network, (n) => n.id === 'conv1');
const BN = at(network, (n) => n.id === 'bn1');
const POOL = at(network, (n) => n.id === 'maxpool');
const SE = at(network, (n) => n.id === 'layer1.0.se');
const FC = at(network, (n) => n.id === 'fc');
const BEFORE_POOL = network.nodes[at(network, (n) => n.op === 'globalAvgPool') - 1]?.id;
const GATE = at(mobile.network, (n) => n.op === 'se');
const HARDSWISH = at(mobile.network, (n) => n.op === 'activation');
const DROPOUT = at(mobile.network, (n) => n.op === 'dropout');
const node = (i: number, ...rest: (string | number)[]) => ['nodes', i, ...rest];

const BAD_NETWORKS: readonly [string, typeof resnet, Path, unknown, string][] = [
  ['format', resnet, ['format'], 'onnx', 'network.format'],
  ['version', resnet, ['version'], 2, 'network.version'],
  ['numClasses', resnet, ['numClasses'], 0, 'network.numClasses'],
  ['no nodes', resnet, ['nodes'], [], 'network.nodes'],
  ['first node not the input', resnet, ['nodes'], network.nodes.slice(1), 'network.nodes[0].op'],
  ['unknown op', resnet, node(CONV, 'op'), 'softmax', `network.nodes[${CONV}].op`],
  ['duplicate id', resnet, node(BN, 'id'), 'conv1', `network.nodes[${BN}].id`],
  [
    'input from a later node',
    resnet,
    node(CONV, 'inputs'),
    ['bn1'],
    `network.nodes[${CONV}].inputs[0]`,
  ],
  ['conv kernel', resnet, node(CONV, 'kernel'), [7], `network.nodes[${CONV}].kernel`],
  ['conv stride', resnet, node(CONV, 'stride'), [0, 2], `network.nodes[${CONV}].stride`],
  ['conv padding', resnet, node(CONV, 'padding'), [3, 3, -1, 3], `network.nodes[${CONV}].padding`],
  ['conv groups', resnet, node(CONV, 'groups'), 2, `network.nodes[${CONV}].groups`],
  ['conv inChannels', resnet, node(CONV, 'inChannels'), 4, `network.nodes[${CONV}].inputs`],
  ['conv bias', resnet, node(CONV, 'bias'), 'yes', `network.nodes[${CONV}].bias`],
  ['module path used twice', resnet, node(BN, 'module'), 'conv1', `network.nodes[${BN}].module`],
  ['batchNorm eps', resnet, node(BN, 'eps'), null, `network.nodes[${BN}].eps`],
  ['batchNorm channels', resnet, node(BN, 'channels'), 2, `network.nodes[${BN}].inputs`],
  [
    'maxPool padding over half the kernel',
    resnet,
    node(POOL, 'padding'),
    [2, 2, 2, 2],
    `network.nodes[${POOL}].padding`,
  ],
  [
    'activation kind',
    resnet,
    node(BN + 1, 'activation'),
    { kind: 'swish' },
    `network.nodes[${BN + 1}].activation.kind`,
  ],
  [
    'SE spec',
    resnet,
    node(SE, 'spec', 'reducedChannels'),
    0,
    `network.nodes[${SE}].spec.reducedChannels`,
  ],
  ['SE channels', resnet, node(SE, 'spec', 'channels'), 8, `network.nodes[${SE}].inputs`],
  [
    'linear on a feature map',
    resnet,
    node(FC, 'inputs'),
    [BEFORE_POOL],
    `network.nodes[${FC}].inputs`,
  ],
  ['linear inFeatures', resnet, node(FC, 'inFeatures'), 3, `network.nodes[${FC}].inputs`],
  ['output unknown', resnet, ['output'], 'head', 'network.output'],
  ['output a feature map', resnet, ['output'], 'conv1', 'network.output'],
  [
    'SE gate without a slope',
    { network: mobile.network, bytes: mobile.stateDict },
    node(GATE, 'spec', 'gate'),
    { type: 'hardsigmoid' },
    `network.nodes[${GATE}].spec.gate.alpha`,
  ],
  [
    'hard-sigmoid slope 0',
    { network: mobile.network, bytes: mobile.stateDict },
    node(HARDSWISH, 'activation'),
    { kind: 'hardsigmoid', alpha: 0, beta: 0.5 },
    `network.nodes[${HARDSWISH}].activation.alpha`,
  ],
  [
    'dropout rate',
    { network: mobile.network, bytes: mobile.stateDict },
    node(DROPOUT, 'rate'),
    1.5,
    `network.nodes[${DROPOUT}].rate`,
  ],
];

describe('NetworkDefinition', () => {
  it.each(BAD_NETWORKS)('%s: an SESpecError naming the field', (_, base, path, value, field) => {
    const error = thrown(() => buildNetworkModel(broken(base.network, path, value), base.bytes));
    expect(error).toBeInstanceOf(SESpecError);
    expect((error as SESpecError).field).toBe(field);
  });

  it('checks the network before the state_dict, and options before both', () => {
    const badNet = broken(network, ['version'], 3);
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
    // webgpu computes ReduceMean wrong with its axes as an attribute (README): asking for that
    // (a Reduce squeeze below opset 18) is refused.
    await expect(
      loadNetworkSession(network, bytes, {
        runtime: 'web',
        executionProviders: ['webgpu'],
        squeezeOp: 'reduce',
        opset: 17,
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
    await expect(session.runArray(small.x, [2, 37, 29, 3])).rejects.toThrow(SEShapeError);
    expect((await session.runArray(small.x, small.inputShape)).length).toBe(20);
    await session.release();
  });
});

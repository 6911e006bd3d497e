import { seResNet50 } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import { irNodeOf, partOf, summariseProfile } from '../src/networks/profile.js';
import { printedProfiles } from '../src/networks/runners/ort.js';
import { nodeTimes } from '../src/runners/ort-profile.js';

// Every runtime's names and operators, folded into the same parts of the network.

const network = seResNet50();
const nodes = new Map(network.nodes.map((n) => [n.id, n]));
const part = (node: string, op: string) => partOf({ node, op }, nodes);

describe('irNodeOf', () => {
  it("finds the IR node behind onnxruntime's, PyTorch's and TF.js' names", () => {
    expect(irNodeOf('layer1.0.se/squeeze_mean_output_nchwc', nodes)?.id).toBe('layer1.0.se');
    expect(irNodeOf('layer1.0.bn3_output_nchwc', nodes)?.id).toBe('layer1.0.bn3');
    expect(irNodeOf('layer1.0.se.fc1', nodes)?.id).toBe('layer1.0.se');
    expect(irNodeOf('layer2.0.downsample.1', nodes)?.id).toBe('layer2.0.downsample.1');
    expect(irNodeOf('act1/act_output_nchwc', nodes)?.id).toBe('act1');
    // A name that only starts like a node id is not that node; the runtime's own nodes have none.
    expect(irNodeOf('layer1.0.se2', nodes)).toBeUndefined();
    expect(irNodeOf('ReorderOutput_token_219', nodes)).toBeUndefined();
    expect(irNodeOf('input', nodes)).toBeUndefined();
  });
});

describe('partOf', () => {
  it('splits an SE block into pool, FCs, gate and scale, or keeps a fused kernel whole', () => {
    expect(part('layer1.0.se/squeeze_mean_output_nchwc', 'GlobalAveragePool')).toBe('se.pool');
    expect(part('layer1.0.se', 'aten::mean')).toBe('se.pool');
    expect(part('layer1.0.se/act_output_nchwc', 'Conv')).toBe('se.fc');
    expect(part('layer1.0.se.act', 'aten::relu_')).toBe('se.fc');
    expect(part('layer1.0.se.gate', 'aten::sigmoid')).toBe('se.gate');
    expect(part('layer1.0.se/scale', 'Mul')).toBe('se.scale');
    expect(part('layer1.0.se/scale_expand_output_nchwc', 'Upsample')).toBe('se.scale');
    expect(part('layer1.0.se', 'SqueezeExcite')).toBe('se');
    expect(part('layer1.0.se', 'SeblockSqueezeExcite')).toBe('se');
    // se-onnxruntime's fused scale + residual Conv, and the Reshape that makes the gate its weight.
    expect(part('layer1.0.se/scale/fused_residual', 'Conv')).toBe('se.scale');
    expect(part('layer1.0.se/scale/fused_weight_reshape', 'Reshape')).toBe('se');
  });

  it('counts the residual add and the ReLU on it, but not a conv they were fused into', () => {
    expect(part('layer1.0.add', 'Add')).toBe('residual');
    expect(part('layer1.0.add', 'aten::add')).toBe('residual');
    expect(part('layer1.0.act3/act', 'Relu')).toBe('residual');
    expect(part('layer1.0.act3', 'SeblockTorchActivation')).toBe('residual');
    expect(part('layer1.0.act3/act_output_nchwc', 'Conv')).toBe('rest');
    // The 'nchwc' form's identity shortcut: a Conv of the add's own, with the add and ReLU in it.
    expect(part('layer1.1.add/identity_output_nchwc', 'Conv')).toBe('residual');
    expect(part('layer1.0.act1', 'aten::relu_')).toBe('rest');
  });

  it('puts layout changes apart and everything else in the rest', () => {
    expect(part('ReorderOutput_token_219', 'ReorderOutput')).toBe('layout');
    expect(part('input', 'Transpose')).toBe('layout');
    expect(part('layer1.0.conv1', 'SeblockTorchConv2d')).toBe('rest');
    expect(part('something_else', 'Unknown')).toBe('rest');
  });
});

describe('summariseProfile', () => {
  it('sums entries into parts and keeps the total', () => {
    const s = summariseProfile(
      {
        runtime: 'test',
        threads: 1,
        batch: 1,
        network: 'seresnet50',
        wallMs: 11,
        method: 'made up',
        entries: [
          { node: 'layer1.0.se/squeeze_mean', op: 'GlobalAveragePool', ms: 1 },
          { node: 'layer1.1.se/squeeze_mean', op: 'GlobalAveragePool', ms: 0.5 },
          { node: 'layer1.0.se/scale', op: 'Mul', ms: 2 },
          { node: 'layer1.0.conv1', op: 'Conv', ms: 6 },
          { node: 'ReorderInput', op: 'ReorderInput', ms: 1.5 },
        ],
      },
      network,
    );
    expect(s.totalMs).toBe(11);
    expect(s.parts).toMatchObject({
      'se.pool': 1.5,
      'se.scale': 2,
      rest: 6,
      layout: 1.5,
      residual: 0,
    });
    expect(s).not.toHaveProperty('entries');
  });
});

describe("onnxruntime's profile", () => {
  // Two model_runs; the second is counted. Kernel events carry the node name and op type.
  const events = [
    { cat: 'Session', name: 'model_run', ts: 0, dur: 10_000 },
    { cat: 'Node', name: 'a_kernel_time', ts: 10, dur: 4000, args: { op_name: 'Conv' } },
    { cat: 'Session', name: 'model_run', ts: 20_000, dur: 8000 },
    { cat: 'Node', name: 'a_kernel_time', ts: 20_010, dur: 3000, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'a_fence_before', ts: 20_005, dur: 9 },
    { cat: 'Node', name: 'b/scale_kernel_time', ts: 21_000, dur: 500, args: { op_name: 'Mul' } },
  ];

  it('takes kernel times per node from the runs asked for', () => {
    expect(nodeTimes(events, 1, 1)).toEqual({
      runMs: 8,
      entries: [
        { node: 'a', op: 'Conv', ms: 3 },
        { node: 'b/scale', op: 'Mul', ms: 0.5 },
      ],
    });
    expect(nodeTimes(events, 0, 2).entries[0]).toEqual({ node: 'a', op: 'Conv', ms: 3.5 });
    expect(() => nodeTimes(events, 1, 2)).toThrow(/model_run events 1 to 2/);
  });

  it("reads onnxruntime-web's printed profiles between the child's markers", () => {
    const stdout = [
      'some log line',
      '@@se-bench-profile plain',
      '[',
      '{"cat" : "Session","name" :"model_run","ts" :0,"dur" :5},',
      '{"cat" : "Node","name" :"a_kernel_time","ts" :1,"dur" :2,"args" : {"op_name" : "Conv"}}',
      ']',
      '@@se-bench-profile-end',
      '@@se-bench-profile se',
      '{"cat" : "Session","name" :"model_run","ts" :0,"dur" :6}',
      '@@se-bench-profile-end',
    ].join('\n');
    const parsed = printedProfiles(stdout);
    expect(parsed.map((p) => [p.member, p.events.length])).toEqual([
      ['plain', 2],
      ['se', 1],
    ]);
    expect(nodeTimes(parsed[0]?.events ?? [], 0, 1).entries).toEqual([
      { node: 'a', op: 'Conv', ms: 0.002 },
    ]);
  });
});

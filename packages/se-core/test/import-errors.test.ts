import { describe, expect, it } from 'vitest';
import {
  exportSEBlocks,
  exportSEBlocksToSafetensors,
  importSEBlocks,
  type SEBlock,
  SEImportError,
  SEShapeError,
  SESpecError,
  SEWeightFormatError,
  type TensorLike,
} from '../src/index.js';
import { fixtureBytes } from './fixtures/import/load.js';

const C = 16;
const RD = 4;

/** timm-style SE tensors under layer1.0.se, editable per test. */
function seTensors(edit: (m: Map<string, TensorLike>) => void = () => {}): Map<string, TensorLike> {
  const m = new Map<string, TensorLike>([
    [
      'layer1.0.se.fc1.weight',
      { shape: [RD, C, 1, 1], values: new Float32Array(RD * C).fill(0.1) },
    ],
    ['layer1.0.se.fc1.bias', { shape: [RD], values: new Float32Array(RD) }],
    [
      'layer1.0.se.fc2.weight',
      { shape: [C, RD, 1, 1], values: new Float32Array(RD * C).fill(0.1) },
    ],
    ['layer1.0.se.fc2.bias', { shape: [C], values: new Float32Array(C) }],
    ['layer1.0.conv1.weight', { shape: [C, C, 1, 1], values: new Float32Array(C * C) }],
  ]);
  edit(m);
  return m;
}

/** Runs `fn`, expecting it to throw `type`; returns the error for field/message checks. */
function thrown<T extends Error>(type: new (...args: never[]) => T, fn: () => unknown): T {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

const preset = { preset: 'timm-seresnet' } as const;

describe('importSEBlocks options', () => {
  it('rejects an unknown preset, listing the known ones', () => {
    const error = thrown(SEImportError, () =>
      importSEBlocks(seTensors(), { preset: 'resnet' as never }),
    );
    expect(error.field).toBe('options.preset');
    expect(error.message).toMatch(
      /expected one of timm-seresnet, .*torchvision-mobilenetv3.*received "resnet"/,
    );
  });

  it('rejects an unknown convention', () => {
    const error = thrown(SEImportError, () =>
      importSEBlocks(seTensors(), { convention: 'onnx' as never }),
    );
    expect(error.field).toBe('options.convention');
    expect(error.message).toMatch(/expected one of fc1-fc2, .* received "onnx"/);
  });

  it('checks behaviour options with the spec validator, naming the option', () => {
    const act = thrown(SESpecError, () =>
      importSEBlocks(seTensors(), { ...preset, activation: 'swish' as never }),
    );
    expect(act.field).toBe('options.activation');
    expect(act.received).toBe('swish');
    const gate = thrown(SESpecError, () =>
      importSEBlocks(seTensors(), { ...preset, gate: { type: 'hardsigmoid' } as never }),
    );
    expect(gate.field).toBe('options.gate.alpha');
    const gain = thrown(SESpecError, () =>
      importSEBlocks(seTensors(), { ...preset, gain: Number.NaN }),
    );
    expect(gain.field).toBe('options.gain');
  });

  it('never guesses the activation or gate: without a preset they are required', () => {
    const act = thrown(SEImportError, () => importSEBlocks(seTensors()));
    expect(act.field).toBe('options.activation');
    expect(act.message).toMatch(/layer1\.0\.se/);
    const gate = thrown(SEImportError, () => importSEBlocks(seTensors(), { activation: 'relu' }));
    expect(gate.field).toBe('options.gate');
  });

  it('rejects input that is neither bytes nor a Map', () => {
    const error = thrown(SEImportError, () => importSEBlocks({} as never, preset));
    expect(error.field).toBe('tensors');
  });

  it('passes malformed safetensors bytes on as SEWeightFormatError', () => {
    thrown(SEWeightFormatError, () => importSEBlocks(new Uint8Array([1, 2, 3]), preset));
  });
});

describe('importSEBlocks tensor checks', () => {
  it('fc2 that does not fit fc1: names both tensors and both shapes', () => {
    const tensors = seTensors((m) =>
      m.set('layer1.0.se.fc2.weight', { shape: [C, 8, 1, 1], values: new Float32Array(C * 8) }),
    );
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc2.weight.shape');
    expect(error.message).toContain(
      'expected [16, 4, 1, 1] to match layer1.0.se.fc1.weight [4, 16, 1, 1]',
    );
    expect(error.message).toContain('received [16, 8, 1, 1]');
  });

  it('fc2 with a transposed shape is caught too', () => {
    const tensors = seTensors((m) =>
      m.set('layer1.0.se.fc2.weight', { shape: [RD, C, 1, 1], values: new Float32Array(C * RD) }),
    );
    expect(thrown(SEImportError, () => importSEBlocks(tensors, preset)).message).toContain(
      'received [4, 16, 1, 1]',
    );
  });

  it('missing fc2: names the tensor it expected and its shape', () => {
    const tensors = seTensors((m) => m.delete('layer1.0.se.fc2.weight'));
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc2.weight');
    expect(error.message).toMatch(/missing: .*expected shape \[16, 4, 1, 1\]/);
  });

  it('one bias without the other', () => {
    const tensors = seTensors((m) => m.delete('layer1.0.se.fc2.bias'));
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc2.bias');
    expect(error.message).toContain('layer1.0.se.fc1.bias is present');
  });

  it('a bias of the wrong length', () => {
    const tensors = seTensors((m) =>
      m.set('layer1.0.se.fc1.bias', { shape: [C], values: new Float32Array(C) }),
    );
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc1.bias.shape');
    expect(error.message).toBe(
      'tensor layer1.0.se.fc1.bias.shape: expected [4] for this block, received [16]',
    );
  });

  it('a kernel that is not 1×1', () => {
    const tensors = seTensors((m) =>
      m.set('layer1.0.se.fc1.weight', {
        shape: [RD, C, 3, 3],
        values: new Float32Array(RD * C * 9),
      }),
    );
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc1.weight.shape');
    expect(error.message).toContain(
      'expected a 1×1 kernel [out, in, 1, 1], received [4, 16, 3, 3]',
    );
  });

  it('a Keras kernel that is not 1×1', () => {
    const tensors = new Map([
      ['block1a_se_reduce/kernel', { shape: [3, 3, C, RD], values: new Float32Array(9 * C * RD) }],
      ['block1a_se_expand/kernel', { shape: [1, 1, RD, C], values: new Float32Array(C * RD) }],
    ]);
    const error = thrown(SEImportError, () =>
      importSEBlocks(tensors, { preset: 'keras-efficientnet' }),
    );
    expect(error.message).toContain(
      'expected a 1×1 kernel [1, 1, in, out], received [3, 3, 16, 4]',
    );
  });

  it('values that do not fit the shape, are not floats, or are not finite', () => {
    const short = seTensors((m) =>
      m.set('layer1.0.se.fc1.bias', { shape: [RD], values: new Float32Array(3) }),
    );
    expect(thrown(SEImportError, () => importSEBlocks(short, preset)).message).toContain(
      'expected 4 values for shape [4], received 3',
    );
    const ints = seTensors((m) =>
      m.set('layer1.0.se.fc1.bias', { shape: [RD], values: new Int32Array(RD) as never }),
    );
    expect(thrown(SEImportError, () => importSEBlocks(ints, preset)).field).toBe(
      'tensor layer1.0.se.fc1.bias.values',
    );
    const nan = seTensors((m) =>
      m.set('layer1.0.se.fc2.bias', { shape: [C], values: new Float32Array(C).fill(Number.NaN) }),
    );
    expect(thrown(SEImportError, () => importSEBlocks(nan, preset)).field).toBe(
      'tensor layer1.0.se.fc2.bias[0]',
    );
  });

  it('a Keras name given both with and without ":0"', () => {
    const kernel = { shape: [1, 1, C, RD], values: new Float32Array(C * RD) };
    const tensors = new Map([
      ['block1a_se_reduce/kernel', kernel],
      ['block1a_se_reduce/kernel:0', kernel],
    ]);
    expect(
      thrown(SEImportError, () => importSEBlocks(tensors, { preset: 'keras-efficientnet' }))
        .message,
    ).toMatch(/ambiguous/);
  });

  it('no SE block at all: says what names were expected and which convention would fit', () => {
    const error = thrown(SEImportError, () =>
      importSEBlocks(fixtureBytes('keras-efficientnet.safetensors'), preset),
    );
    expect(error.field).toBe('tensors');
    expect(error.message).toContain(
      'expected SE tensors named like "<prefix>.fc1.weight" (fc1-fc2), found none among 14 tensors',
    );
    expect(error.message).toContain('the names fit convention keras-se-reduce-expand instead');
  });

  it('ignores non-SE tensors, even malformed ones', () => {
    const tensors = seTensors((m) => m.set('step', { shape: [], values: [1] as never }));
    const { report } = importSEBlocks(tensors, preset);
    expect(report.ignoredTensors).toEqual(['layer1.0.conv1.weight', 'step']);
  });
});

describe('exportSEBlocks checks', () => {
  const block: SEBlock = {
    spec: {
      version: 1,
      channels: 2,
      reducedChannels: 1,
      squeeze: 'avg',
      activation: 'relu',
      gate: { type: 'sigmoid' },
      bias: false,
      gain: 1,
    },
    weights: { fc1Weight: new Float32Array(2), fc2Weight: new Float32Array(2) },
  };

  it('validates each block before writing anything', () => {
    const bad = { ...block, weights: { ...block.weights, fc2Weight: new Float32Array(3) } };
    const error = thrown(SEShapeError, () => exportSEBlocks({ good: block, bad }, 'fc1-fc2'));
    expect(error.field).toBe('blocks["bad"].weights.fc2Weight');
  });

  it('rejects an unknown convention and an empty block list', () => {
    expect(thrown(SEImportError, () => exportSEBlocks({ a: block }, 'tf' as never)).field).toBe(
      'convention',
    );
    expect(thrown(SEImportError, () => exportSEBlocks(new Map(), 'fc1-fc2')).field).toBe('blocks');
    expect(
      thrown(SEImportError, () =>
        exportSEBlocksToSafetensors({ a: block }, 'fc1-fc2', { dtype: 'BF16' }),
      ).field,
    ).toBe('options.dtype');
  });

  it('rejects a custom convention with layouts of one rank (could not be told apart)', () => {
    const convention = {
      name: 'x',
      description: '',
      separator: '.',
      fc1Weight: 'a',
      fc1Bias: 'b',
      fc2Weight: 'c',
      fc2Bias: 'd',
      layouts: ['oihw', 'hwio'] as const,
    };
    expect(thrown(SEImportError, () => exportSEBlocks({ a: block }, convention)).field).toBe(
      'convention.layouts',
    );
  });
});

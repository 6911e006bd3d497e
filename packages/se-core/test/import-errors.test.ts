import { describe, expect, it } from 'vitest';
import {
  EXPORT_METADATA_KEY,
  encodeSafetensors,
  exportSEBlocks,
  exportSEBlocksToSafetensors,
  importSEBlocks,
  MAX_CHANNELS,
  type SEBlockInput,
  SEError,
  SEImportError,
  SEShapeError,
  SESpecError,
  SEWeightFormatError,
  type TensorLike,
  tensorMapFromEntries,
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
    expect(error).toBeInstanceOf(SEError);
    expect(error.expected).toMatch(/^one of timm-seresnet, .*torchvision-mobilenetv3/);
    expect(error.received).toBe('resnet');
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
    expect(act.message).toContain('received nothing: the weights do not record the activation');
    expect(act.expected).toMatch(
      /^one of relu, .* for block "layer1\.0\.se" \(pass options\.preset/,
    );
    expect(act.received).toBeUndefined();
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
    expect(error.expected).toBe(
      '[16, 4, 1, 1] to match layer1.0.se.fc1.weight [4, 16, 1, 1] (C = 16, reducedChannels = 4)',
    );
    expect(error.received).toEqual([16, 8, 1, 1]);
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
    expect(error.message).toBe(
      'tensor layer1.0.se.fc2.weight: expected shape [16, 4, 1, 1] (the expand layer of layer1.0.se.fc1.weight [4, 16, 1, 1]), received nothing: the tensor is missing',
    );
    expect(error.expected).toMatch(/^shape \[16, 4, 1, 1\]/);
    expect(error.received).toBeUndefined();
  });

  it('one bias without the other', () => {
    const tensors = seTensors((m) => m.delete('layer1.0.se.fc2.bias'));
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor layer1.0.se.fc2.bias');
    expect(error.message).toContain('layer1.0.se.fc1.bias is present');
    expect(error.expected).toBe('both biases or neither (layer1.0.se.fc1.bias is present)');
    expect(error.received).toBeUndefined();
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
    expect(error.expected).toBe('[4] for this block');
    expect(error.received).toEqual([16]);
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
    const shortError = thrown(SEImportError, () => importSEBlocks(short, preset));
    expect(shortError.message).toContain('expected 4 values for shape [4], received 3');
    expect(shortError.received).toBe(3);
    const ints = seTensors((m) =>
      m.set('layer1.0.se.fc1.bias', { shape: [RD], values: new Int32Array(RD) as never }),
    );
    expect(thrown(SEImportError, () => importSEBlocks(ints, preset)).field).toBe(
      'tensor layer1.0.se.fc1.bias.values',
    );
    const nan = seTensors((m) =>
      m.set('layer1.0.se.fc2.bias', { shape: [C], values: new Float32Array(C).fill(Number.NaN) }),
    );
    const nanError = thrown(SEImportError, () => importSEBlocks(nan, preset));
    expect(nanError.field).toBe('tensor layer1.0.se.fc2.bias[0]');
    expect(nanError.message).toBe(
      'tensor layer1.0.se.fc2.bias[0]: expected a finite value, received NaN',
    );
    expect(nanError.received).toBeNaN();
  });

  it('a Keras name given both with and without ":0"', () => {
    const kernel = { shape: [1, 1, C, RD], values: new Float32Array(C * RD) };
    const tensors = new Map([
      ['block1a_se_reduce/kernel', kernel],
      ['block1a_se_reduce/kernel:0', kernel],
    ]);
    const error = thrown(SEImportError, () =>
      importSEBlocks(tensors, { preset: 'keras-efficientnet' }),
    );
    expect(error.message).toMatch(/ambiguous/);
    expect(error.expected).toBe('one tensor for the variable "block1a_se_reduce/kernel"');
    expect(error.received).toEqual(['block1a_se_reduce/kernel', 'block1a_se_reduce/kernel:0']);
  });

  it('two conventions finding a block under one prefix: names both, asks for a convention', () => {
    const weight = (shape: number[]) => ({ shape, values: new Float32Array(C * RD) });
    const tensors = new Map([
      ['x.fc1.weight', weight([RD, C, 1, 1])],
      ['x.fc2.weight', weight([C, RD, 1, 1])],
      ['x.conv_reduce.weight', weight([RD, C, 1, 1])],
      ['x.conv_expand.weight', weight([C, RD, 1, 1])],
    ]);
    const error = thrown(SEImportError, () =>
      importSEBlocks(tensors, { activation: 'relu', gate: { type: 'sigmoid' } }),
    );
    expect(error.field).toBe('tensor x.conv_reduce.weight');
    expect(error.expected).toBe('one SE block under prefix "x" (pass options.convention)');
    expect(error.received).toEqual(['fc1-fc2', 'conv-reduce-expand']);
  });

  it('a name given twice to tensorMapFromEntries', () => {
    const entry = { name: 'a', shape: [1], values: new Float32Array(1) };
    const error = thrown(SEImportError, () => tensorMapFromEntries([entry, entry]));
    expect(error.message).toBe(
      'tensor a: expected each name once in the entries, received "a" twice',
    );
    expect(error.received).toBe('a');
  });

  it('a block wider than se-core accepts: the spec check, named after the tensor', () => {
    const wide = MAX_CHANNELS + 1;
    const tensors = new Map([
      ['se.fc1.weight', { shape: [1, wide, 1, 1], values: new Float32Array(wide) }],
      ['se.fc2.weight', { shape: [wide, 1, 1, 1], values: new Float32Array(wide) }],
    ]);
    const error = thrown(SEImportError, () => importSEBlocks(tensors, preset));
    expect(error.field).toBe('tensor se.fc1.weight');
    expect(error.expected).toBe(`spec.channels to be an integer from 1 to ${MAX_CHANNELS}`);
    expect(error.received).toBe(wide);
  });

  it('no SE block at all: says what names were expected and which convention would fit', () => {
    const error = thrown(SEImportError, () =>
      importSEBlocks(fixtureBytes('keras-efficientnet.safetensors'), preset),
    );
    expect(error.field).toBe('tensors');
    expect(error.message).toContain(
      'expected SE tensors named like "<prefix>.fc1.weight" (fc1-fc2), received none among 17 tensors',
    );
    expect(error.message).toContain('the names fit convention keras-se-reduce-expand instead');
    expect(error.expected).toBe('SE tensors named like "<prefix>.fc1.weight" (fc1-fc2)');
    expect(error.received).toHaveLength(17);
    expect(error.received).toContain('block1a_se_reduce/kernel');
  });

  it('ignores non-SE tensors, even malformed ones', () => {
    const tensors = seTensors((m) => m.set('step', { shape: [], values: [1] as never }));
    const { report } = importSEBlocks(tensors, preset);
    expect(report.ignoredTensors).toEqual(['layer1.0.conv1.weight', 'step']);
  });
});

describe('importSEBlocks export metadata (se.export) checks', () => {
  const withMetadata = (text: string) =>
    encodeSafetensors(
      Object.fromEntries([...seTensors()].map(([name, tensor]) => [name, { ...tensor }])),
      { [EXPORT_METADATA_KEY]: text },
    );
  const field = `__metadata__["${EXPORT_METADATA_KEY}"]`;

  it('metadata that is not JSON: the text received and why it does not parse', () => {
    const error = thrown(SEImportError, () => importSEBlocks(withMetadata('{"convention": fc1')));
    expect(error.field).toBe(field);
    expect(error.expected).toBe('JSON');
    expect(error.received).toBe('{"convention": fc1');
    expect(error.message).toMatch(
      /^__metadata__\["se\.export"\]: expected JSON, received "\{\\"convention\\": fc1", which does not parse: ./,
    );
  });

  it('JSON of the wrong shape: the parsed value received', () => {
    const error = thrown(SEImportError, () => importSEBlocks(withMetadata('{"blocks": []}')));
    expect(error.field).toBe(field);
    expect(error.expected).toBe('{ "convention": string, "blocks": { prefix: spec } }');
    expect(error.received).toEqual({ blocks: [] });
  });
});

describe('importSEBlocks option checks', () => {
  it('refuses a channels option that is no count, before reading any tensor', () => {
    for (const [channels, field] of [
      [0, 'options.channels'],
      [2.5, 'options.channels'],
      ['8', 'options.channels'],
      [{ 'layer1.0.se': -1 }, 'options.channels["layer1.0.se"]'],
    ] as const) {
      const error = thrown(SESpecError, () =>
        importSEBlocks(new Uint8Array(3), { channels: channels as never }),
      );
      expect(error.field).toBe(field);
    }
  });
});

describe('exportSEBlocks checks', () => {
  const block: SEBlockInput = {
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
      kind: 'mlp',
      separator: '.',
      tensors: { fc1Weight: 'a', fc1Bias: 'b', fc2Weight: 'c', fc2Bias: 'd' },
      layouts: ['oihw', 'hwio'] as const,
    };
    expect(thrown(SEImportError, () => exportSEBlocks({ a: block }, convention)).field).toBe(
      'convention.layouts',
    );
  });

  it('rejects a custom convention of an unknown kind, or missing or repeated names', () => {
    const base = {
      name: 'x',
      description: '',
      kind: 'mlp',
      separator: '.',
      layouts: ['oihw'] as const,
    };
    const cases: [object, string][] = [
      [{ ...base, kind: 'se', tensors: {} }, 'convention.kind'],
      [
        { ...base, tensors: { fc1Weight: 'a', fc1Bias: 'b', fc2Weight: 'c' } },
        'convention.tensors.fc2Bias',
      ],
      [
        { ...base, tensors: { fc1Weight: 'a', fc1Bias: 'a', fc2Weight: 'c', fc2Bias: 'd' } },
        'convention.tensors',
      ],
    ];
    for (const [convention, field] of cases) {
      expect(
        thrown(SEImportError, () => exportSEBlocks({ a: block }, convention as never)).field,
      ).toBe(field);
    }
  });
});

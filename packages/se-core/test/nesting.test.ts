// Deeply nested JSON anywhere a file or a caller can put it must end in a
// typed error naming the field, never in "RangeError: Maximum call stack size
// exceeded" (JSON.stringify, String() and any recursive walk overflow at a few
// thousand levels; a 16 MB header holds eight million).
import { describe, expect, it } from 'vitest';
import {
  decodeGoldenCase,
  decodeSafetensors,
  decodeSEBundle,
  decodeSEWeights,
  describeShape,
  describeValue,
  importSEBlocks,
  parseSESpec,
  SEImportError,
  SESpecError,
  SEWeightFormatError,
} from '../src/index.js';
import { TINY_BLOCK } from './arbitraries.js';
import { deepArray, fileWithHeader, metadataHeader, thrown } from './hostile.js';

const DEEP = deepArray(10_000); // 20 KB of brackets
const deepValue = () => JSON.parse(DEEP) as unknown;

function expectTyped(error: Error, type: abstract new (...args: never[]) => Error, field: string) {
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(type);
  expect((error as { field?: string }).field).toBe(field);
  expect(error.message).not.toMatch(/call stack/i);
}

describe('describeValue and describeShape are bounded and never recurse', () => {
  it('describes a value nested 10 000 deep in a short excerpt', () => {
    const text = describeValue(deepValue());
    expect(text.length).toBeLessThanOrEqual(60);
    expect(text.startsWith('[[[[')).toBe(true);
    expect(describeShape([deepValue(), 3])).toMatch(/^\[\[\[.*, 3\]$/);
  });

  it('reads only what the excerpt shows of a huge array', () => {
    let reads = 0;
    const huge = new Proxy(new Array(1e9), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) ?? 7;
      },
    });
    expect(describeValue(huge)).toMatch(/^\[7,7,7,.*…$/);
    expect(reads).toBeLessThan(100);
  });

  it('survives cycles, throwing getters and every primitive', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('{"a":1,"self":{…}}');
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    expect(describeValue(trap)).toBe('a value of type object');
    expect(describeValue([1n, undefined, Number.NaN, -0, Symbol('s'), () => 0])).toBe(
      '[1n,null,NaN,-0,Symbol(s),a function]',
    );
    expect(describeValue('x'.repeat(1e6))).toHaveLength(60);
  });
});

describe('the safetensors reader refuses nesting before anything recursive runs', () => {
  it('a 20 KB [[[…]]] header', () => {
    expectTyped(
      thrown(() => decodeSafetensors(fileWithHeader(DEEP))),
      SEWeightFormatError,
      'header',
    );
  });

  it.each([
    ['shape', `{"a":{"dtype":"F32","shape":${DEEP},"data_offsets":[0,0]}}`, 'tensor a.shape'],
    [
      'data_offsets',
      `{"a":{"dtype":"F32","shape":[0],"data_offsets":${DEEP}}}`,
      'tensor a.data_offsets',
    ],
    ['dtype', `{"a":{"dtype":${DEEP},"shape":[0],"data_offsets":[0,0]}}`, 'tensor a.dtype'],
    ['a tensor entry', `{"a":${DEEP}}`, 'tensor a'],
    ['a metadata value', metadataHeader({ note: DEEP }), '__metadata__.note'],
  ])('a nested value in %s names the field', (_, header, field) => {
    expectTyped(
      thrown(() => decodeSafetensors(fileWithHeader(header))),
      SEWeightFormatError,
      field,
    );
  });
});

describe('nested values inside specs and metadata JSON', () => {
  const spec = TINY_BLOCK.spec;

  it.each([
    ['channels', { ...spec, channels: deepValue() }, 'spec.channels'],
    ['gate', { ...spec, gate: deepValue() }, 'spec.gate'],
    [
      'gate.alpha',
      { ...spec, gate: { type: 'hardsigmoid', alpha: deepValue(), beta: 0.5 } },
      'spec.gate.alpha',
    ],
    ['an unknown field', { ...spec, extra: deepValue() }, 'spec.extra'],
  ])('parseSESpec names %s', (_, input, field) => {
    const error = thrown(() => parseSESpec(input));
    expectTyped(error, SESpecError, field);
    expect(error.message).toMatch(/received \[\[\[/);
  });

  it('a nested spec field in se.spec is a format error naming that field', () => {
    const specText = JSON.stringify(
      JSON.stringify(spec).replace('"channels":2', `"channels":${DEEP}`),
    );
    const bytes = fileWithHeader(metadataHeader({ format: '"seblock/1"', 'se.spec': specText }));
    for (const decode of [decodeSEWeights, decodeSEBundle, decodeGoldenCase]) {
      const error = thrown(() => decode(bytes));
      // decodeSEBundle names the field it looked for first, se.blocks.
      const field = decode === decodeSEBundle ? '__metadata__.se.blocks' : '__metadata__.se.spec';
      expectTyped(error, SEWeightFormatError, field);
      expect(error.message).toContain('.channels: expected an integer');
    }
  });

  it('a nested value in se.blocks is a format error', () => {
    const blocks = JSON.stringify(`{"layer1.0.se":${DEEP}}`);
    const bytes = fileWithHeader(metadataHeader({ format: '"seblock/1"', 'se.blocks': blocks }));
    expectTyped(
      thrown(() => decodeSEBundle(bytes)),
      SEWeightFormatError,
      '__metadata__.se.blocks',
    );
  });

  it('a nested value in the export metadata the importer reads is a spec error naming it', () => {
    const exported = JSON.stringify(
      `{"convention":"fc1-fc2","blocks":{"se":{"activation":${DEEP}}}}`,
    );
    const bytes = fileWithHeader(metadataHeader({ 'se.export': exported }));
    expectTyped(
      thrown(() => importSEBlocks(bytes)),
      SESpecError,
      '__metadata__["se.export"].blocks["se"].activation',
    );
  });

  it('a nested shape in a caller-built tensor map is an import error', () => {
    const tensors = new Map([
      ['se.fc1.weight', { shape: [deepValue(), 1, 1, 1] as never, values: new Float32Array(1) }],
    ]);
    expectTyped(
      thrown(() => importSEBlocks(tensors, { preset: 'timm-seresnet' })),
      SEImportError,
      'tensor se.fc1.weight.shape',
    );
  });
});

// The importer fixtures are whole, uncast state_dicts (scripts/make_import_fixtures.py),
// so the importer is tested on what users hand it: every layer, and the int64
// BatchNorm counters that the float-only reader used to refuse.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, importSEBlocks, readSafetensorsIndex } from '../src/index.js';
import { FIXTURES, fixtureBytes } from './fixtures/import/load.js';

describe.each(FIXTURES.cases)('fixture $name', (c) => {
  const { tensors } = readSafetensorsIndex(fixtureBytes(c.file));

  it('holds the dtypes the script recorded, I64 wherever the network has BatchNorm', () => {
    const dtypes = [...new Set([...tensors.values()].map((t) => t.dtype))].sort();
    expect(dtypes).toEqual(c.dtypes);
    const counters = [...tensors.values()].filter((t) => t.name.endsWith('num_batches_tracked'));
    expect(counters.every((t) => t.dtype === 'I64' && t.shape.length === 0)).toBe(true);
    expect(dtypes.includes('I64')).toBe(counters.length > 0);
  });

  it('imports, listing every other tensor as ignored', () => {
    const { report } = importSEBlocks(fixtureBytes(c.file), {
      preset: c.preset,
      ...(c.squeeze ? { squeeze: c.squeeze } : {}),
    });
    expect(report.blocks.map((b) => b.prefix)).toEqual(Object.keys(c.blocks));
    expect(report.ignoredTensors).toEqual(c.ignored);
    expect(report.ignoredTensors.length + report.blocks.flatMap((b) => b.tensors).length).toBe(
      tensors.size,
    );
  });
});

it('most fixtures are real state_dicts that the strict float-only reader refuses', () => {
  const withCounters = FIXTURES.cases.filter((c) => c.dtypes.includes('I64'));
  // Every torch-built network; the Keras and Caffe ones are float-only by nature.
  expect(withCounters.map((c) => c.name).sort()).toEqual(
    FIXTURES.cases
      .filter((c) => !c.preset.startsWith('keras') && c.preset !== 'caffe-senet')
      .map((c) => c.name)
      .sort(),
  );
  for (const c of withCounters) {
    expect(() => decodeSafetensors(fixtureBytes(c.file)), c.name).toThrow(/received "I64"/);
  }
});

// The committed hostile files (test/fixtures/hostile/): each gives every
// reader the outcome its case names, typed, quickly, without touching the input.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, decodeSEWeights, readSafetensorsIndex, SEError } from '../src/index.js';
import { HOSTILE_CASES, type Outcome } from './fixtures/hostile/cases.js';

const DIR = new URL('./fixtures/hostile/', import.meta.url);

function outcomeOf(read: () => unknown): Outcome {
  try {
    read();
    return 'ok';
  } catch (error) {
    if (!(error instanceof SEError)) throw error; // an untyped error fails the test as it is
    return { error: error.name, field: error.field };
  }
}

describe.each(HOSTILE_CASES)('$file: $what', (c) => {
  const url = new URL(c.file, DIR);
  if (process.env.UPDATE_HOSTILE_FIXTURES) writeFileSync(url, c.bytes);

  it('is committed as built by cases.ts', () => {
    expect(new Uint8Array(readFileSync(url))).toEqual(c.bytes);
  });

  it('gives each reader its outcome, and leaves the bytes as they were', () => {
    const bytes = new Uint8Array(readFileSync(url));
    const before = bytes.slice();
    expect(outcomeOf(() => decodeSafetensors(bytes))).toEqual(c.strict);
    expect(
      outcomeOf(() => {
        for (const entry of readSafetensorsIndex(bytes).tensors.values()) entry.decode();
      }),
    ).toEqual(c.index);
    expect(outcomeOf(() => decodeSEWeights(bytes))).toEqual(c.seWeights ?? c.strict);
    expect(bytes).toEqual(before);
  });
});

it('index.json lists every case for readers in other languages', () => {
  const index = {
    description:
      'Hostile safetensors files and what each se-core reader does with them (strict: decodeSafetensors; index: readSafetensorsIndex then decode() of every entry; seWeights: decodeSEWeights). Built by cases.ts; do not edit by hand.',
    cases: HOSTILE_CASES.map(({ bytes: _, ...c }) => ({
      ...c,
      seWeights: c.seWeights ?? c.strict,
    })),
  };
  const url = new URL('index.json', DIR);
  const text = `${JSON.stringify(index, null, 2)}\n`;
  if (process.env.UPDATE_HOSTILE_FIXTURES) writeFileSync(url, text);
  expect(readFileSync(url, 'utf8')).toBe(text);
});

it('the hostile files stay tiny', () => {
  const total = HOSTILE_CASES.reduce((sum, c) => sum + c.bytes.length, 0);
  expect(total).toBeLessThan(100 * 1024);
});

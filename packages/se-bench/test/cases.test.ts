import {
  EXCITATION_KIND_NAMES,
  IMPORT_PRESETS,
  seReference,
  validateSEWeights,
} from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import { benchCases, blockFor, uniform } from '../src/cases.js';

// The block suite's workloads: every excitation kind of se-core, as timm builds it, with
// weights every adapter accepts. No timing here.

describe('bench cases', () => {
  it('cover every excitation kind, in a full run and in --quick', () => {
    for (const quick of [false, true]) {
      const kinds = new Set(benchCases(quick).map((c) => c.spec.excitation.kind));
      expect([...kinds].sort(), `quick ${quick}`).toEqual([...EXCITATION_KIND_NAMES].sort());
    }
    const ids = benchCases(false).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(benchCases(true).filter((c) => c.headline)).toHaveLength(1);
  });

  it("take squeeze, gate and the derived size from se-core's timm presets", () => {
    const byId = new Map(benchCases(false).map((c) => [c.id, c]));
    const eca = byId.get('eca-56x256-b8')?.spec;
    expect(eca?.excitation).toEqual({
      kind: 'eca',
      ...IMPORT_PRESETS['timm-eca'].expected?.(256),
    });
    const cbam = byId.get('cbam-7x2048-b1')?.spec;
    expect(cbam?.squeeze).toBe('avg+max');
    expect(cbam?.excitation).toMatchObject({
      ...IMPORT_PRESETS['timm-cbam'].expected?.(2048),
      bias: false,
    });
    expect(byId.get('ese-56x256-b8')?.spec.gate).toEqual(IMPORT_PRESETS['timm-ese'].gate);
  });

  it('give every block the weights its spec asks for, deterministically', () => {
    const bytes = (w: unknown) => Buffer.from((w as Float32Array).buffer);
    for (const c of benchCases(false)) {
      const block = blockFor(c.spec);
      expect(() => validateSEWeights(block.spec, block.weights), c.id).not.toThrow();
      const again = blockFor(c.spec).weights;
      for (const [key, w] of Object.entries(block.weights))
        expect(bytes(again[key]).equals(bytes(w)), `${c.id} ${key}`).toBe(true);
    }
  });

  it('give finite outputs on a small input of each kind', () => {
    for (const c of benchCases(true)) {
      const shape = [1, c.spec.channels, 2, 2] as const;
      const x = uniform(
        shape.reduce((a, b) => a * b, 1),
        7,
      );
      const y = seReference(c.spec, blockFor(c.spec).weights, x, shape);
      expect(y.every(Number.isFinite), c.id).toBe(true);
    }
  });
});

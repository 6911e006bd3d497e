// SPEC.md's NaN and overflow semantics (PyTorch's), for every kind (from the form registry) ×
// its squeeze modes: a NaN in a channel makes that channel's avg and max NaN (onnxruntime's max
// pools skip NaN: the max must take it from the mean), and a channel whose float32 sum
// overflows has a ±Infinity mean. The outputs must be NaN and ±Infinity exactly where
// se-core's reference is, and close elsewhere. Shared by the Node and browser suites.
import {
  accuracyOf,
  type ExcitationKindName,
  excitationKind,
  type SESpecInput,
  seReference,
  seReferenceFloat32,
} from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import { EXCITATION_FORMS } from '../../src/forms/excitation/registry.js';
import type { SqueezeOp } from '../../src/forms/pool/registry.js';
import { createSESession, type SessionOptions } from '../../src/index.js';
import { randomBlock, randomFloats } from './random.js';
import { ULP_TOLERANCE } from './tolerance.js';

const [N, C, H, W] = [2, 6, 4, 5];

const EXCITATIONS: Record<ExcitationKindName, SESpecInput['excitation' & keyof SESpecInput]> = {
  mlp: { kind: 'mlp', reducedChannels: 3, activation: 'relu', bias: true },
  cbam: { kind: 'cbam', reducedChannels: 2, activation: 'silu', bias: true },
  ese: { kind: 'ese', bias: true },
  eca: { kind: 'eca', kernelSize: 3 },
  ceca: { kind: 'ceca', kernelSize: 3 },
} as never;

/**
 * Sample 0 channel 1 holds one NaN; with `overflow`, sample 1 channel 4 is ±3e38 everywhere
 * (its float32 sum overflows).
 */
function hostileInput(sign: number, overflow: boolean): Float32Array {
  const x = randomFloats(N * C * H * W, 7, 2);
  x[(0 * C + 1) * H * W + 7] = Number.NaN;
  if (overflow) x.fill(sign * 3e38, (1 * C + 4) * H * W, (1 * C + 5) * H * W);
  return x;
}

export interface NaNSemanticsBackend {
  readonly name: string;
  readonly options: SessionOptions;
  /** The squeeze forms to run (undefined: the session's own). */
  readonly squeezeOps: readonly (SqueezeOp | undefined)[];
  /** Why the backend cannot run here, or undefined. */
  readonly unavailable?: () => Promise<string | undefined>;
  /** Why the overflowing channel is left out on this backend (printed), or undefined. */
  readonly noOverflow?: string;
}

/** One test per backend × kind × squeeze mode. */
export function describeNaNSemantics(backends: readonly NaNSemanticsBackend[]): void {
  describe.each(backends)('NaN and overflow as PyTorch on $name', (backend) => {
    for (const kind of Object.keys(EXCITATION_FORMS) as ExcitationKindName[])
      for (const squeeze of excitationKind(kind).squeezeModes)
        it(`${kind} ${squeeze}`, async (context) => {
          const reason = await backend.unavailable?.();
          if (reason) {
            console.warn(`[nan] ${backend.name}: skipped: ${reason}`);
            context.skip(reason);
          }
          const spec = {
            version: 2,
            channels: C,
            squeeze,
            excitation: EXCITATIONS[kind],
            gate: { type: 'sigmoid' },
          } as SESpecInput;
          const block = randomBlock(spec, 11);
          if (backend.noOverflow)
            console.warn(`[nan] ${backend.name}: no overflowing channel: ${backend.noOverflow}`);
          for (const sign of [1, -1]) {
            const x = hostileInput(sign, !backend.noOverflow);
            const shape = [N, C, H, W];
            const expected = seReference(block.spec, block.weights, x, shape);
            const naive = accuracyOf(seReferenceFloat32(block, x, shape), expected, x).worstUlp;
            for (const squeezeOp of backend.squeezeOps) {
              const session = await createSESession(block, {
                ...backend.options,
                ...(squeezeOp ? { squeezeOp } : {}),
              });
              const y = await session.runArray(x, shape);
              await session.release();
              const report = accuracyOf(y, expected, x);
              const label = `${kind} ${squeeze} ${squeezeOp ?? 'session form'} sign ${sign}`;
              // The NaN channel (and the overflowing one) are non-finite in the reference.
              expect(report.nonFinite, label).toBeGreaterThanOrEqual(H * W);
              expect(
                report.worstUlp,
                `${label}: ${JSON.stringify(report.worst)}`,
              ).toBeLessThanOrEqual(ULP_TOLERANCE + 2 * naive);
            }
          }
        });
  });
}

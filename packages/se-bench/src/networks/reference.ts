import { readFileSync } from 'node:fs';
import { float32Ulp } from '@seblock/se-core';
import { readCheckpoint } from '@seblock/se-core/networks';
import type { LogitCheck, PairNetwork } from './types.js';

// PyTorch's float64 logits for the suite's inputs, both committed: batch 1 is se-core's network
// fixture (packages/se-core/test/fixtures/networks/, the tests' own yardstick); batch 8 is
// fixtures/networks-b8.expected.safetensors (scripts/torch_networks.py --references), whose
// first image is the same as batch 1's. Every runtime's logits are checked against them.

const SE_CORE_FIXTURES = new URL('../../../se-core/test/fixtures/networks/', import.meta.url);
const BATCH8 = new URL('../../fixtures/networks-b8.expected.safetensors', import.meta.url);

/** PyTorch float64 logits of one network for one batch, and PyTorch's own float32 error. */
export interface ReferenceLogits {
  readonly y64: Float64Array;
  /** max |y32 − y64| in float32 ULPs of max |y64|, as the fixture scripts record it. */
  readonly torchErrorUlps: number;
}

/** The batches with committed references. */
export const REFERENCE_BATCHES: readonly number[] = [1, 8];

function float64s(bytes: Uint8Array, name: string): Float64Array {
  const t = readCheckpoint(bytes).tensors.get(name);
  if (t?.dtype !== 'F64') throw new Error(`no F64 tensor ${name} in the reference file`);
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  return Float64Array.from({ length: t.bytes.byteLength / 8 }, (_, i) =>
    view.getFloat64(i * 8, true),
  );
}

const cache = new Map<string, ReferenceLogits>();

/** The committed reference for a network and batch (1 or 8). */
export function referenceLogits(network: PairNetwork, batch: number): ReferenceLogits {
  const key = `${network}-b${batch}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let reference: ReferenceLogits;
  if (batch === 1) {
    const index = JSON.parse(readFileSync(new URL('index.json', SE_CORE_FIXTURES), 'utf8'));
    reference = {
      y64: float64s(
        new Uint8Array(readFileSync(new URL(`${network}.expected.safetensors`, SE_CORE_FIXTURES))),
        'y64',
      ),
      torchErrorUlps: Number(index.networks[network].full.torch_float32_error_ulps),
    };
  } else if (batch === 8) {
    const bytes = new Uint8Array(readFileSync(BATCH8));
    reference = {
      y64: float64s(bytes, `${network}.y64`),
      torchErrorUlps: Number(readCheckpoint(bytes).metadata[`${network}.torch_float32_error_ulps`]),
    };
  } else {
    throw new Error(
      `no reference logits for batch ${batch} (only ${REFERENCE_BATCHES.join(', ')})`,
    );
  }
  cache.set(key, reference);
  return reference;
}

/** The seed of the committed references (se-core's network fixtures). */
export function referenceSeed(): number {
  return JSON.parse(readFileSync(new URL('index.json', SE_CORE_FIXTURES), 'utf8')).seed;
}

/**
 * Worst distance of `y` from the reference in float32 ULPs of the largest |logit|, against the
 * tests' allowance: 4 ULPs plus twice PyTorch's own float32 error on the same batch.
 */
export function checkLogits(y: ArrayLike<number>, reference: ReferenceLogits): LogitCheck {
  const allowedUlp = 4 + 2 * reference.torchErrorUlps;
  if (y.length !== reference.y64.length)
    return { worstUlp: Number.POSITIVE_INFINITY, allowedUlp, ok: false };
  let top = 0;
  for (const v of reference.y64) top = Math.max(top, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    const d = Math.abs((y[i] as number) - (reference.y64[i] as number));
    // NaN never passes: a comparison with NaN is false, so it is caught here.
    worst = d > worst || Number.isNaN(d) ? d : worst;
  }
  const worstUlp = worst / float32Ulp(top);
  return { worstUlp, allowedUlp, ok: worstUlp <= allowedUlp };
}

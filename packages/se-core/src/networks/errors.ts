import { SEImportError } from '../errors/index.js';

/** One tensor whose shape or dtype differs from what the network expects. */
export interface StateDictMismatch {
  readonly name: string;
  readonly expected: string;
  readonly received: string;
}

/**
 * A checkpoint does not fit a network: lists EVERY missing, unexpected and mis-shaped tensor at
 * once (thrown before any weight is set, so nothing is half-loaded).
 */
export class SEStateDictError extends SEImportError {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly mismatched: readonly StateDictMismatch[];
  constructor(
    missing: readonly string[],
    unexpected: readonly string[],
    mismatched: readonly StateDictMismatch[],
  ) {
    const parts = [
      ...(missing.length ? [`missing ${missing.length}: ${missing.join(', ')}`] : []),
      ...(unexpected.length ? [`unexpected ${unexpected.length}: ${unexpected.join(', ')}`] : []),
      ...mismatched.map((m) => `${m.name}: expected ${m.expected}, received ${m.received}`),
    ];
    super(
      'state_dict',
      "the network's tensors (names, shapes and dtypes of its PyTorch state_dict)",
      { missing, unexpected, mismatched },
      parts.join('; '),
    );
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

/** Compares a checkpoint's tensors with what a network expects; throws {@link SEStateDictError}. */
export function checkStateDict(
  expected: ReadonlyMap<string, { readonly shape: readonly number[]; readonly dtype: string }>,
  received: ReadonlyMap<string, { readonly shape: readonly number[]; readonly dtype: string }>,
  acceptDType: (expected: string, received: string) => boolean,
): void {
  const missing = [...expected.keys()].filter((n) => !received.has(n));
  const unexpected = [...received.keys()].filter((n) => !expected.has(n));
  const mismatched: StateDictMismatch[] = [];
  for (const [name, want] of expected) {
    const got = received.get(name);
    if (!got) continue;
    const sameShape =
      got.shape.length === want.shape.length && got.shape.every((d, i) => d === want.shape[i]);
    if (!sameShape || !acceptDType(want.dtype, got.dtype)) {
      mismatched.push({
        name,
        expected: `${want.dtype} [${want.shape.join(', ')}]`,
        received: `${got.dtype} [${got.shape.join(', ')}]`,
      });
    }
  }
  if (missing.length || unexpected.length || mismatched.length) {
    throw new SEStateDictError(missing, unexpected, mismatched);
  }
}

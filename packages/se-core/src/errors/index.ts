import { describeValue } from './describe.js';

/**
 * Base class of every error SE Blocks throws on purpose. Adapters (se-tfjs,
 * se-onnxruntime) throw these same classes, so `instanceof SEError` works
 * whatever runtime the caller uses.
 */
export class SEError extends Error {
  /** Dotted path of the offending field, e.g. `spec.gate.alpha` or `tensor fc1.weight`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = new.target.name;
    this.field = field;
  }
}

/** Builds the standard "expected …, received …" sentence. */
function expectedReceived(expected: string, received: unknown): string {
  return `expected ${expected}, received ${describeValue(received)}`;
}

/** A spec (or a spec field) is not valid. */
export class SESpecError extends SEError {
  readonly expected: string;
  readonly received: unknown;
  constructor(field: string, expected: string, received: unknown) {
    super(field, expectedReceived(expected, received));
    this.expected = expected;
    this.received = received;
  }
}

/** A weight file (safetensors container or its SE content) is malformed. */
export class SEWeightFormatError extends SEError {}

/** A tensor's shape, rank, layout or dtype does not fit the block. */
export class SEShapeError extends SEError {
  readonly expected: string;
  readonly received: unknown;
  constructor(field: string, expected: string, received: unknown) {
    super(
      field,
      `expected ${expected}, received ${typeof received === 'string' ? received : describeValue(received)}`,
    );
    this.expected = expected;
    this.received = received;
  }
}

/** Weights from another framework could not be mapped onto SE blocks. */
export class SEImportError extends SEError {}

export { describeShape, describeValue } from './describe.js';

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

/**
 * Builds the standard "expected …, received …" sentence of the input errors.
 * `receivedText` is how the message shows `received` when an excerpt of the
 * value would not say it well (a shape, a missing tensor); by default the excerpt.
 */
function expectedReceived(
  expected: string,
  received: unknown,
  receivedText: string = describeValue(received),
): string {
  return `expected ${expected}, received ${receivedText}`;
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
    // Adapters pass a string when they have already written what they received.
    super(
      field,
      expectedReceived(expected, received, typeof received === 'string' ? received : undefined),
    );
    this.expected = expected;
    this.received = received;
  }
}

/**
 * Weights from another framework could not be mapped onto SE blocks (or SE
 * blocks onto another framework's names, on export).
 */
export class SEImportError extends SEError {
  readonly expected: string;
  /**
   * What was found: the value itself (a shape, a name, a count), or
   * `undefined` when a tensor or option is missing.
   */
  readonly received: unknown;
  /**
   * @param receivedText How the message shows `received` when a short excerpt
   * of the value would not say it well: `[4, 16, 1, 1]` for a shape,
   * `nothing: the tensor is missing` for `undefined`.
   */
  constructor(field: string, expected: string, received: unknown, receivedText?: string) {
    super(field, expectedReceived(expected, received, receivedText));
    this.expected = expected;
    this.received = received;
  }
}

/**
 * A path given to a Node file helper is not something it reads or writes: a
 * FIFO, a device, a directory, a file over the size limit, or (for writes) an
 * existing target that is not a regular file. Thrown before any byte is read
 * or written. `field` is the path.
 */
export class SEFileError extends SEError {
  readonly path: string;
  readonly expected: string;
  /** What the path is (`a FIFO`, `a 9.2 GB file`), as the message shows it. */
  readonly received: string;
  constructor(path: string, expected: string, received: string) {
    super(path, expectedReceived(expected, received, received));
    this.path = path;
    this.expected = expected;
    this.received = received;
  }
}

export { describeShape, describeValue } from './describe.js';

import { SEImportError, SEWeightFormatError } from '../errors/index.js';
import {
  type CheckpointTensor,
  checkpointFloats,
  checkpointIntegers,
  readCheckpoint,
} from './checkpoint.js';
import { elementCount, type TensorRole } from './schema.js';

// The one policy for matching a PyTorch state_dict to a network, shared by every adapter (so a
// checkpoint TF.js loads is one onnxruntime loads, and their errors read the same):
// - one to one by PyTorch name; every problem collected first and reported together;
// - parameters as F32, F64, F16 or BF16 (rounded to float32: the models run float32);
//   `num_batches_tracked` as I64 or I32, and it may be absent (PyTorch's own load_state_dict
//   fills it in for old checkpoints; inference never reads it);
// - values that can only make the logits NaN (NaN, ±Infinity, a negative running_var) refused.

/**
 * One tensor of a decoded state_dict: a checkpoint tensor (dtype, shape, bytes, as
 * `readCheckpoint` gives), or bare values whose shape is taken to be the expected one
 * (float tensors as Float32Array / Float64Array, `num_batches_tracked` as BigInt64Array).
 */
export type StateDictTensor = CheckpointTensor | Float32Array | Float64Array | BigInt64Array;

/** A PyTorch state_dict: safetensors bytes (`model.safetensors`), or tensors by PyTorch name. */
export type StateDictInput = Uint8Array | ReadonlyMap<string, StateDictTensor>;

/** What a network expects of one tensor (a `StateDictEntry` of `stateDictSchema` fits). */
export interface ExpectedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'F32' | 'I64';
  /** Needed for the running variance (checked non-negative) and `num_batches_tracked` (optional). */
  readonly role?: TensorRole;
}

/** A tensor whose shape differs from the network's. */
export interface ShapeMismatch {
  readonly name: string;
  readonly expected: readonly number[];
  /** The shape found, or for bare values their count (`[count]`). */
  readonly received: readonly number[];
}

/** Everything that keeps a state_dict from matching a network, all found in one pass. */
export interface StateDictProblems {
  /** Tensors the network needs and the state_dict lacks. */
  readonly missing: readonly string[];
  /** Tensors in the state_dict that the network has no place for. */
  readonly unexpected: readonly string[];
  readonly wrongShape: readonly ShapeMismatch[];
  /** `name: received dtype (expected …)`. */
  readonly wrongDtype: readonly string[];
  /** `name: what is wrong with its values` (NaN, ±Infinity, a negative running_var). */
  readonly badValues: readonly string[];
  /** A likely cause, e.g. a name prefix added by `nn.DataParallel`; '' when none is seen. */
  readonly hint: string;
}

/** A state_dict that fits its network, decoded: private copies, nothing aliases the input. */
export interface MatchedStateDict {
  /** float32 values of every float tensor, in PyTorch's layout, by name. */
  readonly floats: ReadonlyMap<string, Float32Array>;
  /** The `num_batches_tracked` counters the file has (absent ones are absent here too). */
  readonly counters: ReadonlyMap<string, bigint>;
}

const FLOAT_DTYPES = ['F32', 'F64', 'F16', 'BF16'];
const INTEGER_DTYPES = ['I64', 'I32'];
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function describeProblems(m: StateDictProblems): string {
  const parts = [
    m.missing.length ? `${m.missing.length} missing: ${m.missing.join(', ')}` : '',
    m.unexpected.length ? `${m.unexpected.length} unexpected: ${m.unexpected.join(', ')}` : '',
    m.wrongShape.length
      ? `${m.wrongShape.length} of another shape: ${m.wrongShape
          .map((s) => `${s.name} ${shapeText(s.received)} (expected ${shapeText(s.expected)})`)
          .join(', ')}`
      : '',
    m.wrongDtype.length
      ? `${m.wrongDtype.length} of another dtype: ${m.wrongDtype.join(', ')}`
      : '',
    m.badValues.length ? `${m.badValues.length} with bad values: ${m.badValues.join('; ')}` : '',
    m.hint ? `hint: ${m.hint}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

/**
 * A checkpoint does not fit a network: `received` (and the fields below) list EVERY missing,
 * unexpected, mis-shaped, mistyped tensor and every tensor with unusable values at once,
 * thrown before any weight is set, so nothing is half-loaded.
 */
export class SEStateDictError extends SEImportError implements StateDictProblems {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly wrongShape: readonly ShapeMismatch[];
  readonly wrongDtype: readonly string[];
  readonly badValues: readonly string[];
  readonly hint: string;
  constructor(problems: StateDictProblems, expected: string) {
    super('stateDict', expected, problems, describeProblems(problems));
    this.missing = problems.missing;
    this.unexpected = problems.unexpected;
    this.wrongShape = problems.wrongShape;
    this.wrongDtype = problems.wrongDtype;
    this.badValues = problems.badValues;
    this.hint = problems.hint;
  }
}

function isCheckpointTensor(value: unknown): value is CheckpointTensor {
  const t = value as CheckpointTensor;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof t.dtype === 'string' &&
    Array.isArray(t.shape) &&
    t.bytes instanceof Uint8Array
  );
}

/** The tensors by name: decoded from safetensors bytes (a copy), or the caller's map as given. */
function tensorsOf(input: StateDictInput): ReadonlyMap<string, unknown> {
  if (input instanceof Uint8Array) return readCheckpoint(input).tensors;
  if (input instanceof Map) return input;
  throw new SEWeightFormatError(
    'stateDict',
    `expected safetensors bytes (Uint8Array) or a Map of tensors by PyTorch name, received ${typeof input === 'object' ? (input?.constructor?.name ?? 'null') : typeof input}`,
  );
}

/** What is wrong with a float tensor's values, or '' (the values are a private copy). */
function valueProblem(role: TensorRole | undefined, values: Float32Array): string {
  let nonFinite = 0;
  let negative = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      nonFinite++;
      if (first < 0) first = i;
    } else if (v < 0 && role === 'bnRunningVar') negative++;
  }
  const problems: string[] = [];
  if (nonFinite > 0)
    problems.push(`${nonFinite} NaN or ±Infinity value(s) (first at index ${first})`);
  if (negative > 0) problems.push(`${negative} negative variance(s)`);
  return problems.join(', ');
}

/** Float values of a tensor whose dtype and shape were checked, as float32: always a new copy. */
function floatValues(value: unknown, name: string): Float32Array {
  if (value instanceof Float32Array) return value.slice();
  // Rounds to nearest, as PyTorch's .float() does.
  if (value instanceof Float64Array) return new Float32Array(value);
  const tensor = value as CheckpointTensor;
  // safetensors F32 is little-endian float32: on such hosts a copy of the bytes is the array
  // (measured 20 ms against 90 ms decoding value by value, for SE-ResNet-50's 28M weights).
  if (tensor.dtype === 'F32' && HOST_LITTLE_ENDIAN)
    return new Float32Array(tensor.bytes.slice().buffer);
  return checkpointFloats(tensor, `tensor ${name}`);
}

function counterValue(value: unknown, name: string): bigint {
  if (value instanceof BigInt64Array) return value[0] as bigint;
  return checkpointIntegers(value as CheckpointTensor, `tensor ${name}`)[0] as bigint;
}

/** The dtype and shape problems of one tensor (none: an empty object). */
function describeTensor(
  entry: ExpectedTensor,
  value: unknown,
): { dtype?: string; shape?: readonly number[] } {
  const expectFloat = entry.dtype === 'F32';
  if (isCheckpointTensor(value)) {
    const allowed = expectFloat ? FLOAT_DTYPES : INTEGER_DTYPES;
    return {
      ...(allowed.includes(value.dtype)
        ? {}
        : { dtype: `${value.dtype} (expected ${allowed.join(' or ')})` }),
      ...(value.shape.length === entry.shape.length &&
      value.shape.every((d, i) => d === entry.shape[i])
        ? {}
        : { shape: value.shape }),
    };
  }
  const isFloat = value instanceof Float32Array || value instanceof Float64Array;
  const ok = expectFloat ? isFloat : value instanceof BigInt64Array;
  if (!ok) {
    const kind = ArrayBuffer.isView(value) ? value.constructor.name : typeof value;
    return {
      dtype: `${kind} (expected ${expectFloat ? 'Float32Array, Float64Array' : 'BigInt64Array'} or a checkpoint tensor)`,
    };
  }
  const count = (value as Float32Array | BigInt64Array).length;
  return count === elementCount(entry.shape) ? {} : { shape: [count] };
}

/** A prefix every name carries in the file but not in the network (`module.`, `model.`). */
function prefixHint(missing: readonly string[], unexpected: readonly string[]): string {
  const [m] = missing;
  const candidate = m === undefined ? undefined : unexpected.find((u) => u.endsWith(`.${m}`));
  if (m === undefined || candidate === undefined) return '';
  const prefix = candidate.slice(0, candidate.length - m.length);
  const names = new Set(unexpected);
  return missing.every((name) => names.has(prefix + name))
    ? `every tensor carries the prefix "${prefix}" (nn.DataParallel or a training wrapper): remove it from the names`
    : '';
}

/**
 * Matches a state_dict to what a network expects (`stateDictSchema(network)`, or an adapter's
 * own list of the same), one to one by PyTorch name, and decodes it. Every problem is
 * collected first and thrown together as one {@link SEStateDictError}. `what` names the
 * network in the error (e.g. its architecture).
 *
 * @example
 * ```ts
 * const { floats } = matchStateDict(stateDictSchema(seResNet50()), bytes, 'seresnet50');
 * floats.get('layer1.0.se.fc1.weight'); // Float32Array, [rd, C, 1, 1] row-major
 * ```
 */
export function matchStateDict(
  expected: readonly ExpectedTensor[],
  input: StateDictInput,
  what: string,
): MatchedStateDict {
  const tensors = tensorsOf(input);
  const known = new Set(expected.map((e) => e.name));
  const missing: string[] = [];
  const wrongShape: ShapeMismatch[] = [];
  const wrongDtype: string[] = [];
  const badValues: string[] = [];
  const floats = new Map<string, Float32Array>();
  const counters = new Map<string, bigint>();
  for (const entry of expected) {
    const value = tensors.get(entry.name);
    if (value === undefined) {
      if (entry.role !== 'bnNumBatchesTracked') missing.push(entry.name);
      continue;
    }
    const { dtype, shape } = describeTensor(entry, value);
    if (dtype) wrongDtype.push(`${entry.name}: ${dtype}`);
    if (shape) wrongShape.push({ name: entry.name, expected: entry.shape, received: shape });
    if (dtype || shape) continue;
    if (entry.dtype === 'I64') {
      counters.set(entry.name, counterValue(value, entry.name));
      continue;
    }
    const values = floatValues(value, entry.name);
    const problem = valueProblem(entry.role, values);
    if (problem) badValues.push(`${entry.name}: ${problem}`);
    floats.set(entry.name, values);
  }
  const unexpected = [...tensors.keys()].filter((name) => !known.has(name));
  if (
    missing.length +
    unexpected.length +
    wrongShape.length +
    wrongDtype.length +
    badValues.length
  ) {
    throw new SEStateDictError(
      {
        missing,
        unexpected,
        wrongShape,
        wrongDtype,
        badValues,
        hint: prefixHint(missing, unexpected),
      },
      `the ${expected.length} tensors of ${what}'s state_dict, by PyTorch name`,
    );
  }
  return { floats, counters };
}

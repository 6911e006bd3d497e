import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  keras2HardSigmoid,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  sigmoidGate,
} from '../spec/gates.js';
import type { Gate } from '../spec/types.js';
import { FLOAT_DTYPES, type FloatDType } from '../weights/dtypes.js';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags: string options as strings, boolean ones as booleans, plus --help. */
export interface CommandLine<O extends Options> {
  readonly values: {
    readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
  } & {
    readonly help?: boolean;
  };
  readonly positionals: string[];
}

/** node:util parseArgs in strict mode, with its errors turned into usage errors. */
export function parseCommandLine<O extends Options>(
  args: readonly string[],
  options: O,
): CommandLine<O> {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return parsed as unknown as CommandLine<O>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Exactly `count` positional arguments, else a usage error naming them. */
export function positionals(
  values: readonly string[],
  names: readonly string[],
  optional = 0,
): string[] {
  if (values.length < names.length - optional || values.length > names.length) {
    const wanted = names
      .map((n, i) => (i >= names.length - optional ? `[${n}]` : `<${n}>`))
      .join(' ');
    throw new UsageError(
      `expected ${wanted}, received ${values.length} argument(s)${values.length ? `: ${values.join(' ')}` : ''}`,
    );
  }
  return [...values];
}

const NAMED_GATES: Readonly<Record<string, Gate>> = {
  sigmoid: sigmoidGate,
  'pytorch-hardsigmoid': pytorchHardSigmoid,
  'onnx-hardsigmoid': onnxDefaultHardSigmoid,
  'keras2-hardsigmoid': keras2HardSigmoid,
};

/** Gates by name. A bare 'hardsigmoid' is refused: its slope differs between frameworks. */
export const GATE_HELP = `${Object.keys(NAMED_GATES).join(' | ')} | hardsigmoid:<alpha>:<beta>`;

export function parseGate(text: string): Gate {
  const named = NAMED_GATES[text];
  if (named && Object.hasOwn(NAMED_GATES, text)) return named;
  const match = /^hardsigmoid:([^:]+):([^:]+)$/.exec(text);
  if (match) {
    const alpha = Number(match[1]);
    const beta = Number(match[2]);
    if (Number.isFinite(alpha) && Number.isFinite(beta))
      return { type: 'hardsigmoid', alpha, beta };
  }
  throw new UsageError(
    `--gate: expected ${GATE_HELP} (no bare "hardsigmoid": PyTorch's slope is 1/6, ONNX/Keras 2's is 0.2), received "${text}"`,
  );
}

export function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new UsageError(`${flag}: expected a finite number, received "${text}"`);
  return value;
}

export function parseDType(text: string | undefined): FloatDType | undefined {
  if (text === undefined) return undefined;
  const upper = text.toUpperCase();
  if (!(FLOAT_DTYPES as readonly string[]).includes(upper) || upper === 'BF16') {
    throw new UsageError(`--dtype: expected F32, F16 or F64, received "${text}"`);
  }
  return upper as FloatDType;
}

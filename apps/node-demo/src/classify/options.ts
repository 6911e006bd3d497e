import { parseArgs } from 'node:util';
import { ARCHITECTURE_NAMES } from '@seblock/se-core/networks';
import { colorChoice, integer, SHARED_FLAGS, UsageError } from '../options.js';
import { BACKEND_IDS, type BackendId } from './backends/ids.js';

export interface ClassifyOptions {
  /** An image file; undefined: the committed sample picture. */
  readonly image: string | undefined;
  /**
   * A model.safetensors file, a folder holding one (and its config.json), or a Hugging Face
   * style folder URL; undefined: the seeded SE-ResNet-50, made in memory.
   */
  readonly checkpoint: string | undefined;
  /** The architecture of a checkpoint without a config.json (timm / torchvision name). */
  readonly architecture: string;
  /** Classes of a checkpoint without a config.json. */
  readonly numClasses: number;
  readonly backends: readonly BackendId[];
  readonly top: number;
  /** Forward passes per backend; the time shown is their median. */
  readonly runs: number;
  /** Where to write everything measured as JSON (undefined: nowhere). */
  readonly json: string | undefined;
  readonly color: boolean | undefined;
}

export const CLASSIFY_DEFAULTS = {
  architecture: 'seresnet50',
  numClasses: 1000,
  top: 5,
  runs: 1,
} as const;

export const CLASSIFY_HELP = `se-demo classify: one PyTorch checkpoint, one image, every backend in Node, the same answer.

Loads a timm / torchvision checkpoint (model.safetensors, no Python), prepares the image as timm
does (resize, centre crop, ImageNet mean and std, from the checkpoint's config.json), runs it on
TF.js cpu, TF.js wasm, onnxruntime-node and onnxruntime-web (wasm) one after the other, and prints
each backend's top classes, its times, and how far apart the backends' logits are.

Usage: se-demo classify [IMAGE] [options]

  IMAGE            a PNG or JPEG file (default: the sample picture, a boat at sunset)

Options:
  --checkpoint SRC a model.safetensors file, a folder with model.safetensors and config.json, or
                   a Hugging Face folder URL, e.g.
                   https://huggingface.co/timm/seresnet50.a1_in1k/resolve/main
                   (default: SE-ResNet-50 with se-core's seeded weights, made in memory: not
                   trained, so its classes are meaningless; it shows the backends agree)
  --arch NAME      architecture of a checkpoint without config.json (default ${CLASSIFY_DEFAULTS.architecture};
                   one of ${ARCHITECTURE_NAMES.join(', ')})
  --num-classes N  classes of a checkpoint without config.json (default ${CLASSIFY_DEFAULTS.numClasses})
  --backends LIST  comma-separated, from ${BACKEND_IDS.join(', ')} (default: all)
  --top K          classes shown per backend (default ${CLASSIFY_DEFAULTS.top})
  --runs N         forward passes per backend; the time shown is their median (default ${CLASSIFY_DEFAULTS.runs})
  --json FILE      also write everything measured (logits included) as JSON
  --color, --no-color
                   force colours on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help       show this help

Exit status: 0 when every backend ran, 1 when one could not (the others still report),
2 on a usage error, 3 when the image or the checkpoint cannot be read (missing file, not an
image, a checkpoint that does not fit the architecture, a failed download).
`;

function backendList(value: string | undefined): BackendId[] {
  if (value === undefined) return [...BACKEND_IDS];
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids)
    if (!BACKEND_IDS.includes(id as BackendId))
      throw new UsageError(
        `--backends: expected names from ${BACKEND_IDS.join(', ')}, received "${id}"`,
      );
  if (ids.length === 0) throw new UsageError('--backends: expected at least one backend');
  return [...new Set(ids as BackendId[])];
}

/** Parses `se-demo classify`'s arguments; `undefined` means "print the help". */
export function parseClassifyOptions(argv: readonly string[]): ClassifyOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return undefined;
  if (parsed.positionals.length > 1)
    throw new UsageError(
      `expected one image, received ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
    );
  const architecture = v.arch ?? CLASSIFY_DEFAULTS.architecture;
  if (!(ARCHITECTURE_NAMES as readonly string[]).includes(architecture))
    throw new UsageError(
      `--arch: expected one of ${ARCHITECTURE_NAMES.join(', ')}, received "${architecture}"`,
    );
  return {
    image: parsed.positionals[0],
    checkpoint: v.checkpoint,
    architecture,
    numClasses: integer('num-classes', v['num-classes'], CLASSIFY_DEFAULTS.numClasses, 1, 100_000),
    backends: backendList(v.backends),
    top: integer('top', v.top, CLASSIFY_DEFAULTS.top, 1, 20),
    runs: integer('runs', v.runs, CLASSIFY_DEFAULTS.runs, 1, 100),
    json: v.json,
    color: colorChoice(v),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string' },
      arch: { type: 'string' },
      'num-classes': { type: 'string' },
      backends: { type: 'string' },
      top: { type: 'string' },
      runs: { type: 'string' },
      json: { type: 'string' },
      ...SHARED_FLAGS,
    },
  });
}

import {
  agreementPairs,
  classNames,
  type PairAgreement,
  type PreprocessConfig,
  preprocess,
  preprocessConfig,
  topK,
} from 'demo-imagenet';
import { type Backend, backendsFor } from './backends/index.js';
import { type LoadedCheckpoint, loadCheckpoint } from './checkpoint.js';
import { readImage } from './image.js';
import type { ClassifyOptions } from './options.js';

/** One backend's answer. */
export interface BackendResult {
  readonly id: string;
  readonly label: string;
  readonly runtime: string;
  /** Building the model from the checkpoint (TF.js) or the ONNX model and its session (onnxruntime). */
  readonly loadSeconds: number;
  /** Median of the forward passes, image in to logits read back. */
  readonly runSeconds: number;
  readonly runs: readonly number[];
  readonly top: readonly { index: number; name: string; probability: number; logit: number }[];
  readonly logits: readonly number[];
}

export interface BackendFailure {
  readonly id: string;
  readonly label: string;
  readonly reason: string;
}

/** Everything `se-demo classify` measured (also what --json writes). */
export interface ClassifySummary {
  readonly image: { path: string; sample: boolean; format: string; width: number; height: number };
  readonly preprocess: Omit<PreprocessConfig, 'inputSize'> & {
    resized: readonly [number, number];
    input: readonly number[];
  };
  readonly checkpoint: {
    source: string;
    architecture: string;
    numClasses: number;
    bytes: number;
    seeded: boolean;
    seconds: number;
  };
  readonly top: number;
  readonly backends: readonly BackendResult[];
  readonly failed: readonly BackendFailure[];
  readonly pairs: readonly PairAgreement[];
  /** Peak resident memory of the process (MB). */
  readonly peakRssMB: number;
  readonly node: string;
}

/** What the command shows while it works. */
export interface ClassifyProgress {
  onDownload?: (received: number, total: number | undefined) => void;
  onPrepared?: (summary: Pick<ClassifySummary, 'image' | 'preprocess' | 'checkpoint'>) => void;
  onBackendStart?: (backend: Backend) => void;
  onBackendDone?: (result: BackendResult | BackendFailure) => void;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function runOne(
  backend: Backend,
  checkpoint: LoadedCheckpoint,
  input: { data: Float32Array; shape: readonly number[] },
  options: Pick<ClassifyOptions, 'runs' | 'top'>,
  names: readonly string[],
): Promise<BackendResult> {
  const runtime = await backend.describe();
  let started = performance.now();
  const loaded = await backend.load(checkpoint.network, checkpoint.weights);
  const loadSeconds = (performance.now() - started) / 1000;
  const runs: number[] = [];
  let logits: Float32Array | undefined;
  try {
    for (let r = 0; r < options.runs; r++) {
      started = performance.now();
      const y = await loaded.run(input.data, input.shape);
      runs.push((performance.now() - started) / 1000);
      logits ??= y;
    }
  } finally {
    // One model in memory at a time: a full-size network is ~100 MB on each backend.
    await loaded.dispose();
  }
  const values = logits as Float32Array;
  return {
    id: backend.id,
    label: backend.label,
    runtime,
    loadSeconds,
    runSeconds: median(runs),
    runs,
    top: topK(values, options.top).map((c) => ({
      ...c,
      name: names[c.index] ?? `class ${c.index}`,
    })),
    logits: Array.from(values),
  };
}

/**
 * Classifies one image with one checkpoint on each requested backend, one after the other, and
 * compares every pair of answers. Input problems (no such file, not an image, a checkpoint that
 * does not fit) throw before any backend runs; a backend that fails is reported and skipped.
 */
export async function classify(
  options: ClassifyOptions,
  progress: ClassifyProgress = {},
): Promise<ClassifySummary> {
  const { image, path } = await readImage(options.image);
  const checkpoint = await loadCheckpoint({
    source: options.checkpoint,
    architecture: options.architecture,
    numClasses: options.numClasses,
    ...(progress.onDownload
      ? { onProgress: ({ received, total }) => progress.onDownload?.(received, total) }
      : {}),
  });
  const config = preprocessConfig(checkpoint.config);
  const prepared = preprocess(image, config);
  const head = {
    image: {
      path,
      sample: options.image === undefined,
      format: image.format,
      width: image.width,
      height: image.height,
    },
    preprocess: {
      interpolation: config.interpolation,
      cropPct: config.cropPct,
      cropMode: config.cropMode,
      mean: config.mean,
      std: config.std,
      fromConfig: config.fromConfig,
      resized: prepared.resized,
      input: prepared.shape,
    },
    checkpoint: {
      source: checkpoint.source,
      architecture: checkpoint.network.architecture,
      numClasses: checkpoint.network.numClasses,
      bytes: checkpoint.weights.length,
      seeded: checkpoint.seeded,
      seconds: checkpoint.seconds,
    },
  };
  progress.onPrepared?.(head);
  const names = classNames(checkpoint.config, checkpoint.network.numClasses);
  const backends: BackendResult[] = [];
  const failed: BackendFailure[] = [];
  for (const backend of backendsFor(options.backends)) {
    progress.onBackendStart?.(backend);
    try {
      const result = await runOne(
        backend,
        checkpoint,
        { data: prepared.input, shape: prepared.shape },
        options,
        names,
      );
      backends.push(result);
      progress.onBackendDone?.(result);
    } catch (error) {
      const failure = { id: backend.id, label: backend.label, reason: oneLine(error) };
      failed.push(failure);
      progress.onBackendDone?.(failure);
    }
  }
  const answers = backends.map((b) => ({ backend: b.label, logits: Float32Array.from(b.logits) }));
  return {
    ...head,
    top: options.top,
    backends,
    failed,
    pairs: agreementPairs(answers, options.top),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    node: process.version,
  };
}

/** An error as one line: its class and message, whitespace collapsed, long lists cut. */
export function oneLine(error: unknown, max = 400): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

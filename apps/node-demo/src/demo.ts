import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExcitationKindName } from '@seblock/se-core';
import { readSEBundleFile } from '@seblock/se-core/node';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type ClassExcitations, excitationsByClass } from './analysis/excitation.js';
import { CLASSES, type DigitSet, PIXELS, splitDigits } from './data/mnist.js';
import {
  BUNDLE_FILE,
  MODEL_FILE,
  saveLayersModel,
  saveSEBundle,
  WEIGHTS_FILE,
} from './export/save.js';
import { buildNet, DEFAULT_NET, NET_NAMES } from './model/build.js';
import { initialiseWeights } from './model/init.js';
import { recomputeBatchNormStatistics } from './model/precise-bn.js';
import type { DemoOptions } from './options.js';
import { accuracyOn, type EpochResult, predictAll, train } from './train/train.js';
import { registerWasmTrainingKernels } from './train/wasm-training-kernels.js';
import { renderHeatmaps } from './ui/heatmap.js';
import type { Palette } from './ui/palette.js';
import { progressBar } from './ui/progress.js';
import { renderTable } from './ui/table.js';
import { type BlockAgreement, type BlockSkipped, compareWithOnnxRuntime } from './verify/ort.js';

export const SUMMARY_FILE = 'summary.json';
export const SAMPLES_FILE = 'samples.json';

export interface NetResult {
  readonly name: string;
  readonly parameters: number;
  readonly trainSeconds: number;
  readonly epochs: readonly EpochResult[];
  readonly heldOutAccuracy: number;
}

/** Everything the demo measured; also written to `summary.json` in the output directory. */
export interface DemoSummary {
  readonly backend: string;
  /** The excitation kind of the SE net's blocks. */
  readonly kind: ExcitationKindName;
  readonly seed: number;
  readonly data: { readonly train: number; readonly test: number; readonly available: number };
  readonly nets: readonly [NetResult, NetResult];
  readonly onnxruntime: readonly (BlockAgreement | BlockSkipped)[];
  readonly excitations: readonly ClassExcitations[];
  readonly files: Readonly<Record<string, number>>;
  readonly totalSeconds: number;
}

export interface DemoIO {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly palette: Palette;
}

const thousands = (n: number) => n.toLocaleString('en-US');
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const CLASS_LABELS = Array.from({ length: CLASSES }, (_, d) => `${d}`);

async function selectBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`TF.js could not start its ${name} backend`);
  await tf.ready();
}

async function trainTwin(
  name: string,
  se: boolean,
  split: { train: DigitSet; test: DigitSet },
  options: DemoOptions,
  io: DemoIO,
): Promise<{ model: tfl.LayersModel; result: NetResult }> {
  const model = buildNet(se, { ...DEFAULT_NET, kind: options.kind });
  initialiseWeights(model, options.seed);
  const parameters = model.countParams();
  io.out.write(`\n${io.palette.bold(`Training ${name}`)} (${thousands(parameters)} parameters)\n`);
  const started = performance.now();
  const epochs = await train(model, split.train, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    seed: options.seed,
    progress: (epoch, total) =>
      progressBar({ label: `  epoch ${epoch}/${options.epochs}`, total, stream: io.out }),
  });
  await recomputeBatchNormStatistics(model, split.train);
  const trainSeconds = (performance.now() - started) / 1000;
  const heldOutAccuracy = accuracyOn(split.test, await predictAll(model, split.test));
  return { model, result: { name, parameters, trainSeconds, epochs, heldOutAccuracy } };
}

/** One held-out image per digit, for the web demo's sample buttons (grey levels, 3 decimals). */
function samplesOf(test: DigitSet): { label: number; pixels: number[] }[] {
  const samples: { label: number; pixels: number[] }[] = [];
  for (let label = 0; label < CLASSES; label++) {
    const index = test.labels.indexOf(label);
    if (index < 0) continue;
    const pixels = Array.from(
      test.images.subarray(index * PIXELS, (index + 1) * PIXELS),
      (v) => Math.round(v * 1000) / 1000,
    );
    samples.push({ label, pixels });
  }
  return samples;
}

function verdictLines(se: NetResult, plain: NetResult, options: DemoOptions, io: DemoIO): string[] {
  const extra = se.parameters - plain.parameters;
  const gain = 100 * (se.heldOutAccuracy - plain.heldOutAccuracy);
  const slower = 100 * (se.trainSeconds / plain.trainSeconds - 1);
  const sign = (x: number) => (x >= 0 ? `+${x.toFixed(1)}` : x.toFixed(1));
  return [
    `The ${options.kind} blocks add ${thousands(extra)} parameters (${sign((100 * extra) / plain.parameters)}%; the paper's SE: about +10% on ResNet-50)`,
    `and ${sign(slower)}% training time here. Held-out accuracy: ${sign(gain)} points for the ${se.name}.`,
    io.palette.dim(
      `What this shows: one run (seed ${options.seed}) of ${options.epochs} epoch${options.epochs === 1 ? '' : 's'} on ${thousands(options.train)} images, with nets of ~20k parameters.`,
    ),
    io.palette.dim(
      "A toy setting: it cannot test the paper's ImageNet claim (see the README for several seeds). It does show",
    ),
    io.palette.dim(
      'SE blocks training end to end in TF.js and, below, gates that depend on the digit.',
    ),
  ];
}

/** Runs the whole demo, printing as it goes; returns (and writes) the summary. */
export async function runDemo(options: DemoOptions, io: DemoIO): Promise<DemoSummary> {
  const started = performance.now();
  const { palette: p } = io;
  await selectBackend(options.backend);
  const split = splitDigits(options.train, options.test, options.seed);
  io.out.write(
    `${p.bold('SE Blocks demo')}: ${NET_NAMES[options.kind]} (excitation kind ${options.kind}) and its plain ResNet twin on MNIST digits (TF.js ${tf.version_core}, ${options.backend} backend, Node ${process.version})\n` +
      `data: ${thousands(split.train.count)} training and ${thousands(split.test.count)} held-out images of the ${thousands(split.available)} shipped in the mnist package (seed ${options.seed})\n`,
  );

  const se = await trainTwin(NET_NAMES[options.kind], true, split, options, io);
  const plain = await trainTwin('ResNet (no SE)', false, split, options, io);
  io.out.write(
    `\n${renderTable(
      ['net', 'parameters', 'training time', 'held-out accuracy'],
      [se.result, plain.result].map((r) => [
        r.name,
        thousands(r.parameters),
        `${r.trainSeconds.toFixed(1)} s`,
        percent(r.heldOutAccuracy),
      ]),
    )}\n\n${verdictLines(se.result, plain.result, options, io).join('\n')}\n`,
  );

  await mkdir(options.out, { recursive: true });
  await saveLayersModel(se.model, options.out);
  const bundlePath = join(options.out, BUNDLE_FILE);
  await saveSEBundle(se.model, bundlePath);
  await writeFile(join(options.out, SAMPLES_FILE), `${JSON.stringify(samplesOf(split.test))}\n`);
  const files: Record<string, number> = {};
  for (const name of [MODEL_FILE, WEIGHTS_FILE, BUNDLE_FILE, SAMPLES_FILE])
    files[name] = (await stat(join(options.out, name))).size;
  const kb = (name: string) => `${((files[name] as number) / 1024).toFixed(1)} KB`;
  io.out.write(
    `\n${p.bold('Exported')} to ${options.out}\n` +
      `  ${MODEL_FILE} + ${WEIGHTS_FILE}  the ${se.result.name}, TF.js layers format (${kb(MODEL_FILE)} + ${kb(WEIGHTS_FILE)})\n` +
      `  ${BUNDLE_FILE}  its SE blocks, an @seblock/se-core bundle (${kb(BUNDLE_FILE)})\n` +
      `  ${SAMPLES_FILE}  one held-out image per digit (${kb(SAMPLES_FILE)})\n`,
  );

  // The blocks as a user would get them: read back from the file just written.
  const blocks = await readSEBundleFile(bundlePath);
  const agreement = await compareWithOnnxRuntime(se.model, blocks, split.test, options.ortImages);
  io.out.write(
    `\n${p.bold('Same weights, two runtimes')}: each SE block on onnxruntime-node (weights from ${BUNDLE_FILE}) vs the TF.js layer (${options.backend}),\n` +
      `on the activations that reach it for ${Math.min(options.ortImages, split.test.count)} held-out images\n` +
      `${renderTable(
        ['block', 'input N×H×W×C', 'max |y|', 'max |ORT − TF.js|', 'float32 ULPs (allowed)'],
        agreement.map((a) =>
          a.skipped === undefined
            ? [
                a.block,
                a.shape.join('×'),
                a.maxAbs.toFixed(3),
                a.maxAbsDifference.toExponential(2),
                `${a.worstUlp.toFixed(1)} (${a.allowedUlp.toFixed(1)})`,
              ]
            : [a.block, a.shape.join('×'), '–', 'skipped (below)', '–'],
        ),
      )}\n` +
      agreement
        .flatMap((a) =>
          a.skipped === undefined
            ? []
            : [p.dim(`  ${a.block}: se-onnxruntime cannot build it: ${a.skipped}\n`)],
        )
        .join(''),
  );

  const excitations = await excitationsByClass(se.model, blocks, split.test);
  const last = excitations.at(-1) as ClassExcitations;
  const digits = CLASS_LABELS;
  const deviations = excitations.map((e) => ({
    title: `${e.block} (${e.channels} channels)`,
    matrix: e.mean.map((row) =>
      row.map((v, c) => v - e.mean.reduce((sum, r) => sum + (r[c] as number), 0) / e.mean.length),
    ),
  }));
  const deviationRange = Math.max(
    1e-6,
    ...deviations.flatMap((d) => d.matrix.flat().map(Math.abs)),
  );
  io.out.write(
    `\n${p.bold(`Mean excitation of ${last.block} per digit`)} (the gate of each of its ${last.channels} channels, averaged over ${thousands(split.test.count)} held-out images)\n` +
      `${renderHeatmaps([{ title: '', matrix: last.mean }], { rowLabels: digits, palette: p, scale: 'sequential', range: [0, 1] })}\n` +
      `\n${p.bold('The class-specific part')}: each mean minus its channel's average over the 10 digits (one scale for both blocks)\n` +
      `${renderHeatmaps(deviations, { rowLabels: digits, palette: p, scale: 'diverging', range: [-deviationRange, deviationRange] })}\n` +
      `How class-specific each block is (std across digits of a channel's mean excitation, averaged over channels): ${excitations.map((e) => `${e.block} ${e.spreadAcrossClasses.toFixed(3)}`).join(', ')}\n` +
      p.dim(
        'The paper (§7.2) finds early excitations shared by all classes and late ones class-specific; here the net has only two stages.\n',
      ),
  );

  const summary: DemoSummary = {
    backend: options.backend,
    kind: options.kind,
    seed: options.seed,
    data: { train: split.train.count, test: split.test.count, available: split.available },
    nets: [se.result, plain.result],
    onnxruntime: agreement,
    excitations,
    files,
    totalSeconds: (performance.now() - started) / 1000,
  };
  await writeFile(join(options.out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  io.out.write(
    `\nDone in ${summary.totalSeconds.toFixed(1)} s (summary: ${join(options.out, SUMMARY_FILE)})\n`,
  );
  se.model.dispose();
  plain.model.dispose();
  return summary;
}

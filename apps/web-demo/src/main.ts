// The draw-a-digit page: every TF.js backend classifies the drawing with an SE-ResNet trained
// by the Node demo, its blocks of the excitation kind picked with `?kind=` (the SE MLP, ESE, ECA
// or CBAM's channel attention); the blocks' squeeze descriptors and excitation are charted, and
// each block also runs on onnxruntime-web (wasm, webgpu) beside TF.js.
import '@seblock/se-tfjs'; // registers the SqueezeExcite layer class, so the model loads
import { EXCITATION_KIND_NAMES, type ExcitationKindName } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Availability, probeBackend, TFJS_BACKENDS, type TfjsBackend } from './backends.js';
import { type BlockView, blockCards, inspectBlocks } from './blocks-view.js';
import { barChart } from './charts.js';
import { createPad } from './drawing.js';
import { KIND_PARAMETER, kindFromSearch } from './kinds.js';
import {
  argmax,
  type DemoModel,
  type Inference,
  infer,
  loadDemoModel,
  maxAbsDifference,
} from './model.js';
import { ORT_VERSION, OrtBlocks } from './ort.js';
import { $, el, formatMs, formatSci } from './ui.js';

/** What the page last computed; also read by the end-to-end test. */
export interface DemoState {
  /** The excitation kind of the model shown (`?kind=`). */
  readonly kind: ExcitationKindName;
  readonly picked: TfjsBackend;
  readonly backends: Record<
    string,
    {
      available: boolean;
      reason?: string;
      predicted?: number;
      milliseconds?: number;
      maxAbsDifferenceFromReference?: number;
    }
  >;
  readonly blocks: readonly {
    name: string;
    kind: ExcitationKindName;
    channels: number;
    /** How many squeeze descriptors the block has (two for CBAM's avg+max). */
    descriptors: number;
    ort: Record<
      string,
      { maxAbsDifference?: number; milliseconds?: number; error?: string; unsupported?: string }
    >;
  }[];
  readonly classifications: number;
}

const CLASS_LABELS = Array.from({ length: 10 }, (_, i) => `${i}`);

async function main(): Promise<void> {
  const status = $('#status');
  status.textContent = 'Starting the TF.js backends…';
  const availability = new Map<TfjsBackend, Availability>();
  for (const name of TFJS_BACKENDS) availability.set(name, await probeBackend(name));
  const usable = TFJS_BACKENDS.filter((b) => availability.get(b)?.available);
  if (usable.length === 0) throw new Error('no TF.js backend could start in this browser');

  const kind = kindFromSearch(location.search);
  renderKindPicker(kind);
  status.textContent = `Loading the ${kind} model…`;
  const demo = await loadDemoModel(usable, kind);
  const ortBlocks = new OrtBlocks(demo.blocks);
  const providers = await ortBlocks.providers();

  const gpuProblem = availability.get('webgpu');
  if (gpuProblem && !gpuProblem.available) {
    $('#notice').hidden = false;
    $('#notice').textContent =
      `WebGPU is not available here: ${gpuProblem.reason}. The TF.js webgpu backend and onnxruntime-web's webgpu provider are skipped; everything else works.`;
  }
  renderTrainingSummary(demo);

  let picked: TfjsBackend = new URLSearchParams(location.search).get('backend') as TfjsBackend;
  if (!usable.includes(picked))
    picked = usable.includes('webgl') ? 'webgl' : (usable[0] as TfjsBackend);
  renderPicker(availability, picked, (name) => {
    picked = name;
    void schedule(true);
  });

  let pixels: Float32Array | undefined;
  let classifications = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let lastStart = 0;

  const run = async () => {
    const image = pixels;
    if (!image) return;
    const results = new Map<TfjsBackend, Inference>();
    for (const name of usable) results.set(name, await infer(demo, name, image));
    await tf.setBackend(picked);
    const blocks = await inspectBlocks(
      demo,
      results.get(picked) as Inference,
      ortBlocks,
      providers,
    );
    classifications++;
    render(availability, results, picked, blocks, ortBlocks);
    publishState(kind, availability, results, picked, blocks, classifications);
  };

  // Drawing fires many events: run at most one classification at a time, and one more with the
  // latest drawing when it ends; while the pen moves, at most every 250 ms.
  const schedule = async (final: boolean) => {
    if (!final && performance.now() - lastStart < 250) return;
    if (running) {
      again = true;
      return running;
    }
    lastStart = performance.now();
    running = run().finally(() => {
      running = undefined;
    });
    await running;
    if (again) {
      again = false;
      await schedule(true);
    }
  };

  const pad = createPad($('#pad') as HTMLCanvasElement, (final) => {
    pixels = pad.read();
    showPreview(pixels);
    void schedule(final);
  });
  $('#clear').addEventListener('click', () => {
    pad.clear();
    pixels = undefined;
    showPreview(undefined);
    $('#digit').textContent = '–';
  });
  const samples = $('#samples');
  for (const sample of demo.samples) {
    const button = el('button', { className: 'sample', title: `a held-out ${sample.label}` });
    button.dataset.label = `${sample.label}`;
    const thumb = el('canvas', { width: 28, height: 28 });
    paint(thumb, sample.pixels);
    button.append(thumb);
    button.addEventListener('click', () => {
      pixels = Float32Array.from(sample.pixels);
      pad.show(pixels);
      showPreview(pixels);
      void schedule(true);
    });
    samples.append(button);
  }

  // Warm up every backend (WebGL and WebGPU compile their shaders on first use), then show a sample.
  status.textContent = 'Compiling shaders on every backend…';
  const first = demo.samples.find((s) => s.label === 3) ?? demo.samples[0];
  if (first) {
    pixels = Float32Array.from(first.pixels);
    pad.show(pixels);
    showPreview(pixels);
    await schedule(true);
  }
  status.textContent = `Ready. TF.js ${tf.version_core}: ${usable.join(', ')}; onnxruntime-web ${ORT_VERSION}: ${providers.join(', ')}.`;
  document.body.dataset.ready = 'true';
}

function paint(canvas: HTMLCanvasElement, pixels: ArrayLike<number>): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * (pixels[i] as number));
    image.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

function showPreview(pixels: Float32Array | undefined): void {
  paint($('#preview') as HTMLCanvasElement, pixels ?? new Float32Array(784));
}

/** Links to the same page with each kind's model; the current one marked. */
function renderKindPicker(current: ExcitationKindName): void {
  const links = EXCITATION_KIND_NAMES.map((name) => {
    const url = new URL(location.href);
    url.searchParams.set(KIND_PARAMETER, name);
    const link = el('a', { href: url.search }, name);
    link.dataset.kind = name;
    if (name === current) link.setAttribute('aria-current', 'page');
    return link;
  });
  $('#kinds').replaceChildren('Excitation kind of the blocks: ', ...links);
}

function renderTrainingSummary(demo: DemoModel): void {
  const s = demo.summary;
  if (!s) return;
  const [se, plain] = s.nets;
  if (se) $('#net-name').textContent = se.name;
  $('#trained').textContent =
    `Trained in Node by apps/node-demo (TF.js ${s.backend}, ${s.data.train.toLocaleString('en-US')} images): held-out accuracy ${(100 * (se?.heldOutAccuracy ?? 0)).toFixed(1)}% (${se?.parameters.toLocaleString('en-US')} parameters; the plain ResNet twin: ${(100 * (plain?.heldOutAccuracy ?? 0)).toFixed(1)}%).`;
}

function renderPicker(
  availability: ReadonlyMap<TfjsBackend, Availability>,
  picked: TfjsBackend,
  onPick: (name: TfjsBackend) => void,
): void {
  const picker = $('#picker');
  for (const name of TFJS_BACKENDS) {
    const a = availability.get(name) as Availability;
    const input = el('input', {
      type: 'radio',
      name: 'backend',
      value: name,
      checked: name === picked,
      disabled: !a.available,
    });
    input.addEventListener('change', () => onPick(name));
    const label = el('label', { title: a.available ? a.detail : a.reason });
    label.dataset.backend = name;
    label.append(input, ` ${name}`);
    if (!a.available) label.classList.add('unavailable');
    picker.append(label);
  }
}

function render(
  availability: ReadonlyMap<TfjsBackend, Availability>,
  results: ReadonlyMap<TfjsBackend, Inference>,
  picked: TfjsBackend,
  blocks: readonly BlockView[],
  ortBlocks: OrtBlocks,
): void {
  const chosen = results.get(picked) as Inference;
  const predicted = argmax(chosen.probabilities);
  $('#digit').textContent = `${predicted}`;
  $('#confidence').textContent =
    `${(100 * (chosen.probabilities[predicted] as number)).toFixed(1)}% on ${picked}`;
  $('#probabilities').replaceChildren(
    barChart(chosen.probabilities, {
      width: 300,
      height: 110,
      min: 0,
      max: 1,
      color: '#8aa4c8',
      labels: CLASS_LABELS,
      highlight: { index: predicted, color: '#1f6feb' },
      title: 'class probabilities',
    }),
  );

  // Every backend against the first one that ran (cpu when present): same class, how close.
  const reference = [...results.keys()][0] as TfjsBackend;
  const ref = results.get(reference) as Inference;
  const rows = TFJS_BACKENDS.map((name) => {
    const a = availability.get(name) as Availability;
    const r = results.get(name);
    const row = el('tr');
    row.dataset.backend = name;
    if (!a.available || !r) {
      row.classList.add('unavailable');
      row.append(
        el('td', {}, name),
        el('td', { colSpan: 5 }, a.available ? 'not run' : `skipped: ${a.reason}`),
      );
      return row;
    }
    const cls = argmax(r.probabilities);
    row.dataset.class = `${cls}`;
    const seWorst = Math.max(
      ...r.seOutputs.map((o, k) => maxAbsDifference(o, ref.seOutputs[k] as Float32Array)),
    );
    row.append(
      el('td', { title: a.detail }, name + (name === picked ? ' ★' : '')),
      el('td', { className: 'num' }, `${cls}`),
      el('td', { className: 'num' }, `${(100 * (r.probabilities[cls] as number)).toFixed(2)}%`),
      el('td', { className: 'num' }, formatMs(r.milliseconds)),
      el(
        'td',
        { className: 'num' },
        name === reference
          ? '(reference)'
          : formatSci(maxAbsDifference(r.probabilities, ref.probabilities)),
      ),
      el('td', { className: 'num' }, name === reference ? '(reference)' : formatSci(seWorst)),
    );
    return row;
  });
  $('#backends tbody').replaceChildren(...rows);
  const classes = new Set([...results.values()].map((r) => argmax(r.probabilities)));
  const worst = Math.max(
    0,
    ...[...results.values()].map((r) => maxAbsDifference(r.probabilities, ref.probabilities)),
  );
  const agreement = $('#agreement');
  agreement.className = classes.size === 1 ? 'good' : 'bad';
  agreement.textContent =
    classes.size === 1
      ? `All ${results.size} backends predict ${predicted}; the largest difference between their probabilities is ${formatSci(worst)}.`
      : `The backends disagree: ${[...results.entries()].map(([b, r]) => `${b} → ${argmax(r.probabilities)}`).join(', ')}.`;

  $('#blocks').replaceChildren(...blockCards(blocks, ortBlocks, picked));
}

function publishState(
  kind: ExcitationKindName,
  availability: ReadonlyMap<TfjsBackend, Availability>,
  results: ReadonlyMap<TfjsBackend, Inference>,
  picked: TfjsBackend,
  blocks: readonly BlockView[],
  classifications: number,
): void {
  const ref = [...results.values()][0] as Inference;
  const state: DemoState = {
    kind,
    picked,
    classifications,
    backends: Object.fromEntries(
      TFJS_BACKENDS.map((name) => {
        const a = availability.get(name) as Availability;
        const r = results.get(name);
        return [
          name,
          a.available && r
            ? {
                available: true,
                predicted: argmax(r.probabilities),
                milliseconds: r.milliseconds,
                maxAbsDifferenceFromReference: maxAbsDifference(r.probabilities, ref.probabilities),
              }
            : { available: false, reason: a.available ? 'not run' : a.reason },
        ];
      }),
    ),
    blocks: blocks.map((b) => ({
      name: b.name,
      kind: b.block.spec.excitation.kind,
      channels: b.excitation.length,
      descriptors: b.descriptors.length,
      ort: Object.fromEntries(
        [...b.ort.entries()].map(([p, r]) => [
          p,
          'maxAbsDifference' in r
            ? { maxAbsDifference: r.maxAbsDifference, milliseconds: r.milliseconds }
            : r,
        ]),
      ),
    })),
  };
  (globalThis as { __webDemo?: DemoState }).__webDemo = state;
  document.body.dataset.classifications = `${classifications}`;
}

main().catch((error: unknown) => {
  const status = $('#status');
  status.classList.add('bad');
  status.textContent = `The demo could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.error = 'true';
  console.error(error);
});

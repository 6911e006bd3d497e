// The draw-a-digit page: every TF.js backend classifies the drawing with the SE-ResNet trained
// by the Node demo; the SE blocks' squeeze and excitation are charted, and each block also runs
// on onnxruntime-web (wasm, webgpu) beside TF.js.
import '@seblock/se-tfjs'; // registers the SqueezeExcite layer class, so the model loads
import { seBlockDetailed } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { type Availability, probeBackend, TFJS_BACKENDS, type TfjsBackend } from './backends.js';
import { barChart } from './charts.js';
import { createPad } from './drawing.js';
import {
  argmax,
  type DemoModel,
  type Inference,
  infer,
  loadDemoModel,
  maxAbsDifference,
} from './model.js';
import { ORT_VERSION, OrtBlocks, type OrtProvider, type OrtResult } from './ort.js';
import { $, el, formatMs, formatSci } from './ui.js';

interface BlockView {
  readonly name: string;
  readonly squeeze: Float32Array;
  readonly excitation: Float32Array;
  readonly ort: ReadonlyMap<
    OrtProvider,
    (OrtResult & { readonly maxAbsDifference: number }) | { readonly error: string }
  >;
}

/** What the page last computed; also read by the end-to-end test. */
export interface DemoState {
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
    channels: number;
    ort: Record<string, { maxAbsDifference?: number; milliseconds?: number; error?: string }>;
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

  status.textContent = 'Loading the model…';
  const demo = await loadDemoModel(usable);
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
    render(demo, availability, results, picked, blocks, ortBlocks);
    publishState(availability, results, picked, blocks, classifications);
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

function renderTrainingSummary(demo: DemoModel): void {
  const s = demo.summary;
  if (!s) return;
  const [se, plain] = s.nets;
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

/** Squeeze and excitation of each SE block (TF.js, picked backend), and the block on onnxruntime-web. */
async function inspectBlocks(
  demo: DemoModel,
  inference: Inference,
  ortBlocks: OrtBlocks,
  providers: readonly OrtProvider[],
): Promise<BlockView[]> {
  const views: BlockView[] = [];
  for (const [k, name] of demo.seLayerNames.entries()) {
    const input = inference.seInputs[k] as Inference['seInputs'][number];
    const block = demo.blocks.get(name);
    if (!block) continue;
    const x = tf.tensor4d(input.values, input.shape as [number, number, number, number]);
    const { y, squeeze, excitation } = seBlockDetailed(x, block);
    const [s, e] = (await Promise.all([squeeze.data(), excitation.data()])) as Float32Array[];
    tf.dispose([x, y, squeeze, excitation]);
    const ort = new Map<
      OrtProvider,
      (OrtResult & { maxAbsDifference: number }) | { error: string }
    >();
    for (const provider of providers) {
      try {
        const result = await ortBlocks.run(name, provider, input.values, input.shape);
        ort.set(provider, {
          ...result,
          maxAbsDifference: maxAbsDifference(result.y, inference.seOutputs[k] as Float32Array),
        });
      } catch (error) {
        ort.set(provider, { error: (error as Error).message.slice(0, 200) });
      }
    }
    views.push({ name, squeeze: s as Float32Array, excitation: e as Float32Array, ort });
  }
  return views;
}

function render(
  demo: DemoModel,
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

  const container = $('#blocks');
  container.replaceChildren(
    ...blocks.map((view) => {
      const channels = view.squeeze.length;
      const span = Math.max(1e-6, ...Array.from(view.squeeze, Math.abs));
      const card = el('div', { className: 'block' });
      card.dataset.block = view.name;
      const ortRows = [...view.ort.entries()].map(([provider, r]) => {
        const row = el('tr');
        row.dataset.provider = provider;
        if ('error' in r)
          row.append(el('td', {}, provider), el('td', { colSpan: 2, className: 'bad' }, r.error));
        else
          row.append(
            el('td', {}, `onnxruntime-web ${provider}`),
            el('td', { className: 'num' }, formatSci(r.maxAbsDifference)),
            el('td', { className: 'num' }, formatMs(r.milliseconds)),
          );
        return row;
      });
      for (const [provider, reason] of ortBlocks.unavailable) {
        const row = el('tr', { className: 'unavailable' });
        row.append(
          el('td', {}, `onnxruntime-web ${provider}`),
          el('td', { colSpan: 2 }, `skipped: ${reason}`),
        );
        ortRows.push(row);
      }
      const table = el('table', { className: 'ort' });
      const head = el('tr');
      head.append(
        el('th', {}, 'runtime'),
        el('th', {}, `max |y − y TF.js ${picked}|`),
        el('th', {}, 'time'),
      );
      table.append(head, ...ortRows);
      card.append(
        el(
          'h3',
          {},
          `${view.name} `,
          el(
            'small',
            {},
            `${channels} channels → ${demo.blocks.get(view.name)?.spec.reducedChannels} → ${channels}`,
          ),
        ),
        el('div', { className: 'caption' }, 'squeeze s = mean over H×W of each channel'),
        barChart(view.squeeze, {
          width: 320,
          height: 70,
          min: -span,
          max: span,
          color: '#6e7781',
          title: `${view.name} squeeze`,
        }),
        el(
          'div',
          { className: 'caption' },
          'excitation e = sigmoid(W₂·relu(W₁·s + b₁) + b₂), the weight of each channel (0 to 1)',
        ),
        barChart(view.excitation, {
          width: 320,
          height: 70,
          min: 0,
          max: 1,
          color: '#d4a72c',
          title: `${view.name} excitation`,
        }),
        table,
      );
      return card;
    }),
  );
}

function publishState(
  availability: ReadonlyMap<TfjsBackend, Availability>,
  results: ReadonlyMap<TfjsBackend, Inference>,
  picked: TfjsBackend,
  blocks: readonly BlockView[],
  classifications: number,
): void {
  const ref = [...results.values()][0] as Inference;
  const state: DemoState = {
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
      channels: b.excitation.length,
      ort: Object.fromEntries(
        [...b.ort.entries()].map(([p, r]) => [
          p,
          'error' in r
            ? { error: r.error }
            : { maxAbsDifference: r.maxAbsDifference, milliseconds: r.milliseconds },
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

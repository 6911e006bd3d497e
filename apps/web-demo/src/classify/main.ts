// The classify page: one PyTorch checkpoint (the seeded SE-ResNet-50 from the preview server by
// default, or ?checkpoint=<Hugging Face folder URL>), one image (the sample, or one the user picks
// or drops), every backend this browser has, and how far apart their answers are.

import * as tf from '@tensorflow/tfjs-core';
import { agreementPairs, classNames, preprocess, preprocessConfig, topK } from 'demo-imagenet';
import { $ } from '../ui.js';
import { DEFAULT_CHECKPOINT, downloadCheckpoint, type PageCheckpoint } from './checkpoint.js';
import {
  type PickedImage,
  paintImage,
  readPicked,
  samplePicture,
  watchImageInput,
} from './image-input.js';
import { backendsToRun, PAGE_BACKENDS, type PageBackend } from './runners.js';
import { type BackendState, type ClassifyPageState, publish } from './state.js';
import { renderAnswer, renderBackends, renderMatrix } from './view.js';

// Textures of a disposed model are freed at once, not kept for reuse: each backend holds one
// model at a time, and the next backend wants the memory.
tf.env().set('WEBGL_DELETE_TEXTURE_THRESHOLD', 0);

const state: ClassifyPageState = {
  phase: 'download',
  backends: [],
  pairs: [],
  rounds: 0,
};

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function render(): void {
  renderBackends(state);
  renderAnswer(state);
  renderMatrix(state);
  publish(state);
}

async function loadCheckpoint(): Promise<PageCheckpoint> {
  const folder = new URLSearchParams(location.search).get('checkpoint') ?? DEFAULT_CHECKPOINT;
  const bar = $('#download') as HTMLProgressElement;
  const label = $('#download-label');
  $('#checkpoint-url').textContent = new URL(folder, document.baseURI).href;
  const checkpoint = await downloadCheckpoint(folder, (received, total) => {
    if (total) bar.value = received / total;
    label.textContent = `${MB(received)}${total ? ` of ${MB(total)}` : ''}`;
  });
  bar.value = 1;
  label.textContent = `${MB(checkpoint.weights.length)} in ${checkpoint.seconds.toFixed(1)} s: ${checkpoint.network.architecture}, ${checkpoint.network.numClasses} classes`;
  $('#seeded-note').hidden = !checkpoint.seeded;
  state.checkpoint = {
    url: checkpoint.url,
    bytes: checkpoint.weights.length,
    seconds: checkpoint.seconds,
    architecture: checkpoint.network.architecture,
    numClasses: checkpoint.network.numClasses,
    seeded: checkpoint.seeded,
  };
  return checkpoint;
}

/** Runs the image on every backend, one model in memory at a time. */
async function classifyEverywhere(
  backends: readonly PageBackend[],
  checkpoint: PageCheckpoint,
  picked: PickedImage,
): Promise<void> {
  const config = preprocessConfig(checkpoint.config);
  const prepared = preprocess(picked.image, config);
  paintImage($('#original') as HTMLCanvasElement, picked.image);
  paintImage($('#crop') as HTMLCanvasElement, prepared.crop);
  $('#transform').textContent =
    `${picked.image.width}×${picked.image.height} ${picked.image.format} → resized to ${prepared.resized.join('×')} (${config.interpolation}) → centre crop ${prepared.shape[3]}×${prepared.shape[2]} → normalised with mean ${config.mean.join(', ')} and std ${config.std.join(', ')}`;
  state.image = {
    name: picked.name,
    format: picked.image.format,
    width: picked.image.width,
    height: picked.image.height,
  };
  state.phase = 'classifying';
  state.pairs = [];
  for (const b of state.backends) {
    b.status = 'waiting';
    delete b.top;
    delete b.logits;
  }
  render();
  const names = classNames(checkpoint.config, checkpoint.network.numClasses);
  for (const backend of backends) {
    const view = state.backends.find((b) => b.id === backend.id) as BackendState;
    const availability = await backend.probe();
    if (!availability.available) {
      Object.assign(view, { status: 'skipped', reason: availability.reason });
      render();
      continue;
    }
    view.detail = availability.detail;
    view.status = 'loading';
    render();
    try {
      let started = performance.now();
      const loaded = await backend.load(checkpoint.network, checkpoint.weights);
      view.loadMs = performance.now() - started;
      view.status = 'running';
      render();
      let logits: Float32Array;
      try {
        started = performance.now();
        logits = await loaded.run(prepared.input, prepared.shape);
        view.runMs = performance.now() - started;
      } finally {
        await loaded.dispose();
      }
      view.top = topK(logits, 5).map((c) => ({ ...c, name: names[c.index] ?? `class ${c.index}` }));
      view.logits = Array.from(logits);
      view.status = 'done';
    } catch (error) {
      Object.assign(view, { status: 'failed', reason: (error as Error).message.slice(0, 300) });
    }
    const done = state.backends.filter((b) => b.logits);
    state.pairs = agreementPairs(
      done.map((b) => ({ backend: b.label, logits: Float32Array.from(b.logits ?? []) })),
      5,
    );
    render();
  }
  state.rounds++;
  state.phase = 'done';
  render();
}

async function main(): Promise<void> {
  const backends = backendsToRun(location.search);
  // Shown in the page's order (TF.js, then onnxruntime), run quickest first.
  state.backends = PAGE_BACKENDS.filter((b) => backends.includes(b)).map((b) => ({
    id: b.id,
    label: b.label,
    status: 'waiting',
  }));
  render();
  const checkpoint = await loadCheckpoint();
  let busy = false;
  const run = async (picked: Promise<PickedImage>) => {
    if (busy) return;
    busy = true;
    $('#image-error').textContent = '';
    try {
      await classifyEverywhere(backends, checkpoint, await picked);
    } catch (error) {
      $('#image-error').textContent = (error as Error).message;
      state.phase = 'done';
      publish(state);
    } finally {
      busy = false;
    }
  };
  watchImageInput(
    $('#file') as HTMLInputElement,
    $('#drop'),
    (name, bytes) => void run(readPicked(name, bytes)),
  );
  $('#use-sample').addEventListener('click', () => void run(samplePicture()));
  await run(samplePicture());
}

main().catch((error: unknown) => {
  state.phase = 'error';
  state.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  $('#status').textContent = `The page could not start: ${state.error}`;
  $('#status').classList.add('bad');
  publish(state);
  console.error(error);
});

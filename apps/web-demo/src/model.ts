import { decodeSEBundle, type ExcitationKindName, type SEBlock } from '@seblock/se-core';
import { SqueezeExcite } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The folder of each kind's model: what the Node demo writes (`se-demo --kind K --out
 * ../web-demo/public/models/K`; `pnpm --filter node-demo refresh-web-models` writes all four).
 */
const modelDir = (kind: ExcitationKindName) => `./models/${kind}/`;

export interface Sample {
  readonly label: number;
  readonly pixels: readonly number[];
}

export interface TrainingSummary {
  readonly nets: readonly {
    readonly name: string;
    readonly parameters: number;
    readonly heldOutAccuracy: number;
    readonly trainSeconds: number;
  }[];
  readonly data: { readonly train: number; readonly test: number };
  readonly backend: string;
}

/** The model as loaded on one TF.js backend. */
export interface BackendModel {
  readonly model: tfl.LayersModel;
  /** Outputs: the class probabilities, then for each SE layer its input and its output. */
  readonly probe: tfl.LayersModel;
  readonly seLayers: readonly SqueezeExcite[];
}

export interface DemoModel {
  /**
   * One copy of the model per backend, each created while its backend was active. TF.js would
   * otherwise move the weights between backends on every switch, and moving out of WebGPU reads
   * synchronously through canvases, which costs Chromium its WebGL context after a few rounds.
   */
  readonly copies: ReadonlyMap<string, BackendModel>;
  /** The SE blocks from se-blocks.safetensors (se-core's bundle), by layer name. */
  readonly blocks: ReadonlyMap<string, SEBlock>;
  /** SE layer names, in the order the data reaches them. */
  readonly seLayerNames: readonly string[];
  readonly samples: readonly Sample[];
  readonly summary: TrainingSummary | undefined;
}

/** One forward pass: what a backend computed for one image. */
export interface Inference {
  readonly probabilities: Float32Array;
  readonly seInputs: readonly {
    readonly shape: readonly number[];
    readonly values: Float32Array;
  }[];
  readonly seOutputs: readonly Float32Array[];
  /** Wall time from upload to the last value read back. */
  readonly milliseconds: number;
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

function instantiate(model: tfl.LayersModel): BackendModel {
  const seLayers = model.layers.filter((l): l is SqueezeExcite => l instanceof SqueezeExcite);
  const probe = tfl.model({
    inputs: model.inputs,
    outputs: [
      ...model.outputs,
      ...seLayers.flatMap((l) => [l.input as tfl.SymbolicTensor, l.output as tfl.SymbolicTensor]),
    ],
  });
  return { model, probe, seLayers };
}

/**
 * Loads `kind`'s model once per backend (the SqueezeExcite class is registered by importing
 * @seblock/se-tfjs), the SE bundle, the sample digits and the Node demo's summary.
 */
export async function loadDemoModel(
  backends: readonly string[],
  kind: ExcitationKindName,
): Promise<DemoModel> {
  const dir = modelDir(kind);
  const handler = tf.io.http(new URL(`${dir}model.json`, document.baseURI).href);
  if (!handler.load) throw new Error('tf.io.http has no load()');
  const artifacts = await handler.load();
  const copies = new Map<string, BackendModel>();
  for (const backend of backends) {
    await tf.setBackend(backend);
    copies.set(backend, instantiate(await tfl.loadLayersModel(tf.io.fromMemory(artifacts))));
  }
  const [bundle, samples, summary] = await Promise.all([
    fetchOk(`${dir}se-blocks.safetensors`).then(async (r) =>
      decodeSEBundle(new Uint8Array(await r.arrayBuffer())),
    ),
    fetchOk(`${dir}samples.json`).then((r) => r.json() as Promise<Sample[]>),
    fetchOk(`${dir}summary.json`)
      .then((r) => r.json() as Promise<TrainingSummary>)
      .catch(() => undefined),
  ]);
  const seLayerNames = ([...copies.values()][0]?.seLayers ?? []).map((l) => l.name);
  for (const name of seLayerNames) {
    if (!bundle.has(name)) throw new Error(`se-blocks.safetensors has no block "${name}"`);
  }
  return { copies, blocks: bundle, seLayerNames, samples, summary };
}

/** Runs `backend`'s copy of the model on one 28×28 image (and makes that backend the active one). */
export async function infer(
  demo: DemoModel,
  backend: string,
  pixels: Float32Array,
): Promise<Inference> {
  const copy = demo.copies.get(backend);
  if (!copy) throw new Error(`the model was not loaded on ${backend}`);
  await tf.setBackend(backend);
  const started = performance.now();
  const x = tf.tensor4d(pixels, [1, 28, 28, 1]);
  const outputs = copy.probe.predict(x) as tf.Tensor[];
  const values = (await Promise.all(outputs.map((o) => o.data()))) as Float32Array[];
  const milliseconds = performance.now() - started;
  const shapes = outputs.map((o) => o.shape);
  tf.dispose([x, ...outputs]);
  return {
    probabilities: values[0] as Float32Array,
    seInputs: copy.seLayers.map((_, k) => ({
      shape: shapes[1 + 2 * k] as number[],
      values: values[1 + 2 * k] as Float32Array,
    })),
    seOutputs: copy.seLayers.map((_, k) => values[2 + 2 * k] as Float32Array),
    milliseconds,
  };
}

export const argmax = (values: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
};

export const maxAbsDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

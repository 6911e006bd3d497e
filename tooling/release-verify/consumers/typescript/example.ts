// Consumer (e): a TypeScript user's code against the published .d.ts files only.
// Type-checked twice, with moduleResolution "bundler" and "nodenext". The lines
// marked ts-expect-error prove the types are precise: were any of these imports
// typed as `any`, the directive would be unused and tsc would fail.

import { BACKENDS, type ConformanceOptions, runConformance } from '@seblock/se-conformance';
import {
  byExcitationKind,
  defineSESpec,
  type SEBlock,
  SEError,
  SEShapeError,
  type SESpec,
  type SESpecOfKind,
  seReference,
} from '@seblock/se-core';
import { readSEWeightsFile } from '@seblock/se-core/node';
import { buildSEModel, createSESession, type SESession } from '@seblock/se-onnxruntime';
import { SqueezeExcite, type SqueezeExciteArgs, seBlock, seBlockDetailed } from '@seblock/se-tfjs';
import { registerSqueezeExcite } from '@seblock/se-tfjs/base';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

const spec: SESpec = defineSESpec({
  version: 2,
  channels: 8,
  excitation: { kind: 'mlp', reducedChannels: 2, activation: 'relu', bias: false },
  gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
});
const block: SEBlock = {
  spec,
  weights: { fc1Weight: new Float32Array(16), fc2Weight: new Float32Array(16) },
};
const x = new Float32Array(8 * 9);

// defineSESpec types the spec by its kind: an ECA spec has a kernel size, and no reducedChannels.
const eca: SESpecOfKind<'eca'> = defineSESpec({
  version: 2,
  channels: 8,
  excitation: { kind: 'eca', kernelSize: 3 },
  gate: { type: 'sigmoid' },
});
export const taps: number = eca.excitation.kernelSize;
// @ts-expect-error: an eca excitation has no reducedChannels
export const reduced = eca.excitation.reducedChannels;
// @ts-expect-error: 'se' is not an excitation kind
defineSESpec({ version: 2, channels: 8, excitation: { kind: 'se' }, gate: { type: 'sigmoid' } });
// One handler per kind, each with its kind's weights: leaving a kind out does not compile.
export const weightCount: number = byExcitationKind(block, {
  mlp: (b) => b.weights.fc1Weight.length + b.weights.fc2Weight.length,
  cbam: (b) => b.weights.fc1Weight.length + b.weights.fc2Weight.length,
  ese: (b) => b.weights.fcWeight.length,
  eca: (b) => b.weights.convWeight.length,
  ceca: (b) => b.weights.convWeight.length,
});

const reference: Float64Array = seReference(spec, block.weights, x, [1, 8, 3, 3]);
const model: Uint8Array = buildSEModel(block, { opset: 17, fullyConnected: 'gemm' });
const y: tf.Tensor4D = seBlock(tf.zeros([1, 3, 3, 8]) as tf.Tensor4D, block);
const detailed = seBlockDetailed(tf.zeros([1, 3, 3, 8]) as tf.Tensor4D, block);
export const descriptors: readonly tf.Tensor2D[] = detailed.descriptors;

export async function onnx(): Promise<number> {
  const session: SESession = await createSESession(block, { runtime: 'node' });
  const out: Float32Array = await session.runArray(x, [1, 8, 3, 3]);
  await session.release();
  // @ts-expect-error: 'gpu' is not a runtime
  await createSESession(block, { runtime: 'gpu' });
  return out.length + model.length + reference.length;
}

const args: SqueezeExciteArgs = { spec: { reducedChannels: 2 }, layout: 'NHWC' };
const layer: tfl.layers.Layer = new SqueezeExcite(args);
export const ecaLayer = new SqueezeExcite({ spec: { excitation: { kind: 'eca', kernelSize: 3 } } });
registerSqueezeExcite();
// @ts-expect-error: layout is 'NCHW' | 'NHWC'
new SqueezeExcite({ layout: 'CHW' });

export function describe(error: unknown): string {
  if (error instanceof SEShapeError) return `shape: ${error.field}`;
  if (error instanceof SEError) return error.message;
  return String(error);
}

export const options: ConformanceOptions = { backends: ['tfjs-cpu'] };
export const keys: string[] = BACKENDS.map((b) => b.key);
export const conformance: typeof runConformance = runConformance;
export const files: typeof readSEWeightsFile = readSEWeightsFile;
export const used = [y, layer];

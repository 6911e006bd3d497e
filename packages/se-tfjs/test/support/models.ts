import type * as tf from '@tensorflow/tfjs-core';
import { io } from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  initializers,
  type LayersModel,
  layers,
  type SymbolicTensor,
  input as symbolicInput,
} from '@tensorflow/tfjs-layers';
import { SqueezeExcite, type SqueezeExciteArgs } from '../../src/base.js';

/** conv → SE → global pool → dense: a small classifier with one SE layer named 'se'. */
export function smallSEModel(se: SqueezeExciteArgs = {}, seed = 1): LayersModel {
  const x = symbolicInput({ shape: [8, 8, 3] });
  let y = layers
    .conv2d({
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: initializers.glorotUniform({ seed }),
      name: 'conv',
    })
    .apply(x) as SymbolicTensor;
  y = new SqueezeExcite({
    name: 'se',
    kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }),
    ...se,
  }).apply(y) as SymbolicTensor;
  y = layers.globalAveragePooling2d({}).apply(y) as SymbolicTensor;
  y = layers
    .dense({
      units: 2,
      activation: 'softmax',
      kernelInitializer: initializers.glorotUniform({ seed: seed + 2 }),
      name: 'head',
    })
    .apply(y) as SymbolicTensor;
  return functionalModel({ inputs: x, outputs: y });
}

/** SE → global pool → dense, no convolution (the wasm backend has no conv gradients). */
export function convFreeSEModel(se: SqueezeExciteArgs = {}, seed = 1): LayersModel {
  const x = symbolicInput({ shape: [6, 6, 16] });
  let y = new SqueezeExcite({
    name: 'se',
    kernelInitializer: initializers.glorotUniform({ seed }),
    ...se,
  }).apply(x) as SymbolicTensor;
  y = layers.globalAveragePooling2d({}).apply(y) as SymbolicTensor;
  y = layers
    .dense({
      units: 2,
      activation: 'softmax',
      kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }),
      name: 'head',
    })
    .apply(y) as SymbolicTensor;
  return functionalModel({ inputs: x, outputs: y });
}

/** What model.save hands an IO handler (model.json's topology and the weights). */
export async function savedArtifacts(model: LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts) throw new Error('nothing saved');
  return artifacts;
}

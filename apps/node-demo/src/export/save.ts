import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SEBlock } from '@seblock/se-core';
import { writeSEBundleFile } from '@seblock/se-core/node';
import { readSEBlock } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { seLayersOf } from '../model/se-layers.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'model.weights.bin';
export const BUNDLE_FILE = 'se-blocks.safetensors';

/**
 * Writes the model in TF.js' layers format (model.json + one weights file), which
 * `tf.loadLayersModel('…/model.json')` reads over HTTP. TF.js' file:// handler lives in
 * tfjs-node, which cannot install here, so this is a small save handler of our own.
 */
export async function saveLayersModel(model: tfl.LayersModel, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ?? new ArrayBuffer(0);
      const bytes = new Uint8Array(
        Array.isArray(weightData) ? tf.io.concatenateArrayBuffers(weightData) : weightData,
      );
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(directory, WEIGHTS_FILE), bytes);
      await writeFile(join(directory, MODEL_FILE), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** The model's SE blocks as se-core blocks, keyed by layer name (`layer1_se`, …). */
export async function seBlocksOf(model: tfl.LayersModel): Promise<Map<string, SEBlock>> {
  const blocks = new Map<string, SEBlock>();
  for (const layer of seLayersOf(model)) blocks.set(layer.name, await readSEBlock(layer));
  return blocks;
}

/** Writes every SE block of the model as one se-core bundle (safetensors) file. */
export async function saveSEBundle(model: tfl.LayersModel, path: string): Promise<void> {
  await writeSEBundleFile(path, await seBlocksOf(model));
}

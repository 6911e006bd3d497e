import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEImportError } from '@seblock/se-core';
import { writeFileAtomic } from '@seblock/se-core/node';
import * as tf from '@tensorflow/tfjs-core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A TF.js IOHandler that saves a model to a directory and loads it back in plain Node, without
 * tfjs-node (which is what registers `file://` in TF.js: without it `model.save('file://…')`
 * fails with "Cannot find any save handlers"). It writes the layout tfjs-node and the converter
 * write, `model.json` plus one `weights.bin`, so either can read the other's files.
 *
 * @example
 * ```ts
 * import { nodeFileSystem } from '@seblock/se-tfjs/node';
 * await model.save(nodeFileSystem('./my-model'));
 * const again = await tfl.loadLayersModel(nodeFileSystem('./my-model'));
 * ```
 */
export function nodeFileSystem(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new SEImportError(
          'artifacts.modelTopology',
          'a JSON model topology',
          'binary (a frozen graph)',
        );
      }
      await mkdir(directory, { recursive: true });
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      } as tf.io.ModelJSON;
      // Weights first, then model.json, each written atomically: a crash never leaves a
      // model.json that points at missing or partial weights.
      await writeFileAtomic(join(directory, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFileAtomic(
        join(directory, MODEL_JSON),
        new TextEncoder().encode(JSON.stringify(modelJSON)),
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJSON = JSON.parse(
        await readFile(join(directory, MODEL_JSON), 'utf8'),
      ) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            const bytes = await readFile(join(directory, path));
            buffers.push(
              bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
              ) as ArrayBuffer,
            );
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

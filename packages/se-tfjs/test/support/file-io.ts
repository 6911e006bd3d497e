import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

// A file-system IOHandler for Node without tfjs-node (which is what registers file:// in TF.js):
// model.json + weights.bin, the same layout tfjs-node and tfjs-converter write.
export function fileIO(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await mkdir(directory, { recursive: true });
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(directory, 'model.json'), JSON.stringify(modelJSON));
      await writeFile(join(directory, 'weights.bin'), new Uint8Array(weightData));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const modelJSON = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8'));
      const bytes = await readFile(join(directory, 'weights.bin'));
      return {
        modelTopology: modelJSON.modelTopology,
        format: modelJSON.format,
        weightSpecs: modelJSON.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

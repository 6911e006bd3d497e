// Consumer (b): a plain Node ESM project with @seblock/se-tfjs and TF.js 4 from
// registries. Puts the SqueezeExcite layer in a model, runs it on the wasm backend,
// saves the model (model.json + weights, in memory) and loads it back: loading works
// only because importing @seblock/se-tfjs registered the layer class.
import { readFileSync } from 'node:fs';
import { seReference } from '@seblock/se-core';
import { SqueezeExcite, seBlock } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeCase, maxAbsDiff } from './block.mjs';

const TOLERANCE = 1e-5;
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    .version;
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  process.exit(1);
};

console.log(
  `installed @seblock/se-tfjs@${version('@seblock/se-tfjs')}, @tensorflow/tfjs-core@${version('@tensorflow/tfjs-core')}, ` +
    `tfjs-layers@${version('@tensorflow/tfjs-layers')}, tfjs-backend-wasm@${version('@tensorflow/tfjs-backend-wasm')}`,
);
if (!(await tf.setBackend('wasm'))) fail('the wasm backend did not initialise');
await tf.ready();
console.log(`backend: ${tf.getBackend()}`);

const { block, nhwc, nhwcShape } = makeCase();
const expected = seReference(block.spec, block.weights, nhwc, nhwcShape, 'NHWC');

// The op, on the se-core block as it is.
const x = tf.tensor4d(nhwc, nhwcShape);
const op = seBlock(x, block);
const opDiff = maxAbsDiff(await op.data(), expected);
console.log(`seBlock op: max |y - seReference| = ${opDiff.toExponential(2)} (limit ${TOLERANCE})`);
if (!(opDiff < TOLERANCE)) fail('seBlock differs from the se-core reference');

// The layer, in a model, with random (Glorot) weights.
const input = tfl.input({ shape: nhwcShape.slice(1) });
const se = new SqueezeExcite({ spec: { reducedChannels: 4, activation: 'silu' }, name: 'se' });
const model = tfl.model({ inputs: input, outputs: se.apply(input) });
const before = await model.predict(x).data();

let artifacts;
await model.save(
  tf.io.withSaveHandler(async (saved) => {
    artifacts = saved;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);
const layerJson = JSON.stringify(artifacts.modelTopology).includes('"class_name":"SqueezeExcite"');
console.log(
  `saved: model.json topology names class SqueezeExcite: ${layerJson}, ${artifacts.weightSpecs.length} weight tensors, ` +
    `${artifacts.weightData.byteLength} bytes`,
);
if (!layerJson) fail('the saved topology does not contain a SqueezeExcite layer');

const reloaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
const reloadedLayer = reloaded.getLayer('se');
if (!(reloadedLayer instanceof SqueezeExcite))
  fail(`reloaded layer is ${reloadedLayer?.constructor?.name}, not SqueezeExcite`);
const after = await reloaded.predict(x).data();
const reloadDiff = maxAbsDiff(before, after);
console.log(`reloaded model: max |y_before - y_after| = ${reloadDiff} (must be 0)`);
if (reloadDiff !== 0) fail('predictions changed after save and load');
console.log('OK: se-tfjs layer runs on tfjs-backend-wasm and survives save/load');

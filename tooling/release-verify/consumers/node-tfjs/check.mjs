// Consumer (b): a plain Node ESM project with @seblock/se-tfjs and TF.js 4 from
// registries. Runs the op on a block of every excitation kind on the wasm backend against
// se-core's reference, puts SqueezeExcite layers (an SE MLP and an ECA) in a model, saves the
// model (model.json + weights, in memory) and loads it back: loading works only because
// importing @seblock/se-tfjs registered the layer class.
import { readFileSync } from 'node:fs';
import { seReference } from '@seblock/se-core';
import { SqueezeExcite, seBlock } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { KINDS, makeCase, maxAbsDiff } from './block.mjs';

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

// The op, on the se-core block of each kind as it is.
for (const kind of KINDS) {
  const { block, nhwc, nhwcShape } = makeCase(kind);
  const expected = seReference(block.spec, block.weights, nhwc, nhwcShape, 'NHWC');
  const xKind = tf.tensor4d(nhwc, nhwcShape);
  const y = seBlock(xKind, block);
  const diff = maxAbsDiff(await y.data(), expected);
  tf.dispose([xKind, y]);
  console.log(
    `seBlock op, ${kind}: max |y - seReference| = ${diff.toExponential(2)} (limit ${TOLERANCE})`,
  );
  if (!(diff < TOLERANCE)) fail(`seBlock (${kind}) differs from the se-core reference`);
}

// Layers in a model, with random (Glorot) weights: the SE MLP, then ECA (spec version 2).
const { nhwc, nhwcShape } = makeCase();
const x = tf.tensor4d(nhwc, nhwcShape);
const input = tfl.input({ shape: nhwcShape.slice(1) });
const se = new SqueezeExcite({
  spec: { excitation: { kind: 'mlp', reducedChannels: 4, activation: 'silu' } },
  name: 'se',
});
const eca = new SqueezeExcite({ spec: { excitation: { kind: 'eca' } }, name: 'eca' });
const model = tfl.model({ inputs: input, outputs: eca.apply(se.apply(input)) });
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
for (const name of ['se', 'eca']) {
  const layer = reloaded.getLayer(name);
  if (!(layer instanceof SqueezeExcite))
    fail(`reloaded layer ${name} is ${layer?.constructor?.name}, not SqueezeExcite`);
  console.log(`reloaded ${name}: excitation kind ${layer.spec.excitation.kind}`);
}
if (reloaded.getLayer('eca').spec.excitation.kind !== 'eca')
  fail('the ECA layer came back as another kind');
const after = await reloaded.predict(x).data();
const reloadDiff = maxAbsDiff(before, after);
console.log(`reloaded model: max |y_before - y_after| = ${reloadDiff} (must be 0)`);
if (reloadDiff !== 0) fail('predictions changed after save and load');
console.log('OK: se-tfjs runs every kind on tfjs-backend-wasm, and its layers survive save/load');

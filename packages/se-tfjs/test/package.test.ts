import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The package as a consumer gets it: a fresh Node process importing '@seblock/se-tfjs' by name
// (package.json "exports", self-reference) from the built dist, with TF.js' own CommonJS builds.
const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, model, loadLayersModel } from '@tensorflow/tfjs-layers';
const base = await import('@seblock/se-tfjs/base');
const registered = () => 'SqueezeExcite' in tf.serialization.SerializationMap.getMap().classNameMap;
const before = registered();
const api = await import('@seblock/se-tfjs');
const after = registered();
await tf.setBackend('cpu');
const x = input({ shape: [4, 4, 16] });
const m = model({ inputs: x, outputs: new api.SqueezeExcite({ spec: { reducedChannels: 4 } }).apply(x) });
let saved;
await m.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
const loaded = await loadLayersModel(tf.io.fromMemory(saved));
const probe = tf.ones([1, 4, 4, 16]);
const same = (await m.predict(probe).data()).join() === (await loaded.predict(probe).data()).join();
console.log(JSON.stringify({ before, after, same, sameClass: base.SqueezeExcite === api.SqueezeExcite, exports: Object.keys(api).sort() }));
`;

it('imports by package name, registers the layer on import of the main entry only, and round-trips a model', async () => {
  expect(
    existsSync(new URL('../dist/index.js', import.meta.url)),
    'build first: pnpm --filter @seblock/se-tfjs build',
  ).toBe(true);
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    cwd: root,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string);
  expect(result).toMatchObject({ before: false, after: true, same: true, sameClass: true });
  expect(result.exports).toEqual(
    expect.arrayContaining([
      'seBlock',
      'SqueezeExcite',
      'loadSEWeights',
      'exportSEWeights',
      'insertSE',
      'seResNetBasicBlock',
      'seResNetBottleneck',
      'seInception',
      'registerSqueezeExcite',
    ]),
  );
});

// Consumer (a): a plain Node ESM project that installed @seblock/se-onnxruntime and
// onnxruntime-node from registries, as a user would. Runs one SE block on the CPU
// execution provider and compares it with se-core's float64 reference.
import { readFileSync } from 'node:fs';
import { seReference } from '@seblock/se-core';
import { createSESession } from '@seblock/se-onnxruntime';
import { makeCase, maxAbsDiff } from './block.mjs';

const TOLERANCE = 1e-5;
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    .version;

console.log(
  `installed @seblock/se-onnxruntime@${version('@seblock/se-onnxruntime')}, ` +
    `@seblock/se-core@${version('@seblock/se-core')}, onnxruntime-node@${version('onnxruntime-node')}`,
);
const { block, nchw, nchwShape } = makeCase();
const session = await createSESession(block, { runtime: 'node', executionProviders: ['cpu'] });
const y = await session.run(nchw, nchwShape);
await session.dispose();
const expected = seReference(block.spec, block.weights, nchw, nchwShape);
const diff = maxAbsDiff(y, expected);
console.log(
  `onnxruntime-node cpu, [${nchwShape}] NCHW: max |y - seReference| = ${diff.toExponential(2)} (limit ${TOLERANCE})`,
);
if (!(diff < TOLERANCE)) {
  console.error('FAIL: onnxruntime-node output differs from the se-core reference');
  process.exit(1);
}
console.log('OK: se-onnxruntime on onnxruntime-node matches the reference');

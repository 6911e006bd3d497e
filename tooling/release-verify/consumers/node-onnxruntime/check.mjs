// Consumer (a): a plain Node ESM project that installed @seblock/se-onnxruntime and
// onnxruntime-node from registries, as a user would. Runs a block of every excitation kind on
// the CPU execution provider against se-core's float64 reference (a kind se-onnxruntime does
// not write yet must be refused with an SESpecError naming the kind, and is listed), then one
// of se-core's shipped golden cases, reached through the package's subpath exports (`./node`,
// `./golden/*`, `./spec.schema.json`) exactly as a user would reach them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seReference } from '@seblock/se-core';
import { listGoldenCases, readGoldenCaseFile } from '@seblock/se-core/node';
import { createSESession } from '@seblock/se-onnxruntime';
import { KINDS, kindRefusal, makeCase, maxAbsDiff } from './block.mjs';

const TOLERANCE = 1e-5;
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    .version;
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  process.exit(1);
};

console.log(
  `installed @seblock/se-onnxruntime@${version('@seblock/se-onnxruntime')}, ` +
    `@seblock/se-core@${version('@seblock/se-core')}, onnxruntime-node@${version('onnxruntime-node')}`,
);

for (const kind of KINDS) {
  const { block, nchw, nchwShape } = makeCase(kind);
  let session;
  try {
    session = await createSESession(block, { runtime: 'node', executionProviders: ['cpu'] });
  } catch (error) {
    const refusal = kindRefusal(kind, error);
    if (refusal === undefined) throw error;
    console.log(`${kind}: not written by se-onnxruntime (${refusal})`);
    continue;
  }
  const y = await session.runArray(nchw, nchwShape);
  await session.release();
  const diff = maxAbsDiff(y, seReference(block.spec, block.weights, nchw, nchwShape));
  console.log(
    `${kind}: onnxruntime-node cpu, [${nchwShape}] NCHW: max |y - seReference| = ${diff.toExponential(2)} (limit ${TOLERANCE})`,
  );
  if (!(diff < TOLERANCE))
    fail(`${kind}: onnxruntime-node output differs from the se-core reference`);
}

// A shipped golden case, found by listGoldenCases (from ./node) and opened through ./golden/*.
const cases = await listGoldenCases();
if (cases.length === 0) fail('@seblock/se-core/node listGoldenCases() found no cases');
const { name } = cases[0];
const file = fileURLToPath(import.meta.resolve(`@seblock/se-core/golden/${name}.safetensors`));
const golden = await readGoldenCaseFile(file);
const goldenSession = await createSESession(golden.block, { runtime: 'node' });
const yGolden = await goldenSession.runArray(golden.x, golden.shape);
await goldenSession.release();
// Relative to max(1, |expected|): golden cases include large activations.
let worst = 0;
for (let i = 0; i < yGolden.length; i++) {
  worst = Math.max(worst, Math.abs(yGolden[i] - golden.y[i]) / Math.max(1, Math.abs(golden.y[i])));
}
console.log(
  `golden case "${name}" (1 of ${cases.length}, via @seblock/se-core/golden/*): ` +
    `max relative error ${worst.toExponential(2)} (limit ${TOLERANCE})`,
);
if (!(worst < TOLERANCE)) fail(`golden case ${name} out of tolerance`);

const schemaUrl = import.meta.resolve('@seblock/se-core/spec.schema.json');
const schema = JSON.parse(readFileSync(new URL(schemaUrl), 'utf8'));
console.log(
  `@seblock/se-core/spec.schema.json resolves and parses (title: ${schema.title ?? '-'})`,
);
console.log(
  'OK: se-onnxruntime on onnxruntime-node matches the reference on every kind it writes, and a golden case',
);

// Whether tfjs-backend-wasm's threaded build loads in Node, run in a child process by tfjs.ts
// (a failed backend cannot be retried in the process that tried it). Prints one JSON line:
// the flag as TF.js computes it here, and what happens when it is forced on.

import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const detected = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
const warnings: string[] = [];
console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
setThreadsCount(2);
let loaded = false;
try {
  loaded = (await tf.setBackend('wasm')) && tf.getBackend() === 'wasm';
} catch (error) {
  warnings.push(String(error));
}
process.stdout.write(
  `${JSON.stringify({ detected, loaded, error: warnings.find((w) => /Error/.test(w)) ?? warnings[0] ?? '' })}\n`,
);
process.exit(0);

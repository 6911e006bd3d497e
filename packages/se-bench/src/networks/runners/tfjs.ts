import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { measureBatches } from '../batches.js';
import { inputShape, pairInput, pairNetwork } from '../models.js';
import { processCpuMs } from '../paired.js';
import { loadTfjsPair } from '../tfjs-pair.js';
import type { NetworkContext, NetworkRunner, NetworkRunnerResult } from '../types.js';
import { PAIR, PAIR_MEMBERS } from '../types.js';
import { profileLayerPair } from './tfjs-layers-profile.js';

// TF.js in Node: the wasm backend (XNNPACK, SIMD; single-threaded here, see threadsNote) and the
// cpu backend (plain JS), each running se-tfjs' network models (`@seblock/se-tfjs/networks`,
// SE blocks on se-tfjs' fused kernel) built from the seeded PyTorch checkpoints.

const BACKENDS = ['wasm', 'cpu'] as const;
/** A smoke run leaves out the cpu backend: one whole-network forward there takes 8–30 s. */
const QUICK_SKIP = 'cpu';
const SLOW_PROFILE_MS = 5000;
const PROBE = fileURLToPath(new URL('./tfjs-threads-probe.js', import.meta.url));

function forward(model: LayersModel, x: tf.Tensor4D): Float32Array {
  const y = model.predict(x) as tf.Tensor;
  const logits = y.dataSync() as Float32Array;
  y.dispose();
  return logits;
}

/** Why tfjs-wasm runs one thread in Node, from a child process that tries the threaded build. */
async function threadsNote(): Promise<string> {
  const output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [PROBE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
    });
    child.on('error', (e) => resolve(JSON.stringify({ error: String(e) })));
    child.on('close', () => resolve(text.trim().split('\n').at(-1) ?? ''));
  });
  try {
    const probe = JSON.parse(output) as { detected: boolean; loaded: boolean; error: string };
    const flag = `WASM_HAS_MULTITHREAD_SUPPORT is ${probe.detected} in Node (tfjs-backend-wasm 4.22 turns it off when IS_NODE)`;
    return probe.loaded
      ? `${flag}; forced on, the threaded build loads, but this suite does not time it`
      : `${flag}; forced on, the threaded build fails to load: ${probe.error.split('\n')[0]?.slice(0, 240)}`;
  } catch {
    return `the thread probe printed no result: ${output.slice(0, 240)}`;
  }
}

async function runBackend(
  backend: (typeof BACKENDS)[number],
  context: NetworkContext,
  out: NetworkRunnerResult,
): Promise<void> {
  const runtime = `tfjs-${backend}`;
  if (!(await tf.setBackend(backend).catch(() => false))) {
    out.skipped.push({ runtime, reason: `tf.setBackend('${backend}') failed` });
    return;
  }
  await tf.ready();
  const models = loadTfjsPair(context.seed);
  try {
    const { pairs, skipped } = await measureBatches({
      ...context,
      runtime,
      threads: 1,
      cpuMs: processCpuMs,
      prepare: (batch) => {
        const x = tf.tensor4d(pairInput(context.seed, batch), inputShape(batch));
        return {
          forwards: { plain: () => forward(models.plain, x), se: () => forward(models.se, x) },
          dispose: () => x.dispose(),
        };
      },
    });
    out.pairs.push(...pairs);
    out.skipped.push(...skipped);
    for (const { batch, times } of pairs) {
      const x = tf.tensor4d(pairInput(context.seed, batch), inputShape(batch));
      // Slow forwards (the cpu backend) get one profiled run: about a minute less per batch.
      const runs = Math.max(...times.se) > SLOW_PROFILE_MS ? 1 : context.timing.profileRuns;
      const networks = { plain: pairNetwork('plain'), se: pairNetwork('se') };
      const profiled = profileLayerPair(models, networks, x, runs);
      x.dispose();
      for (const member of PAIR_MEMBERS)
        out.profiles.push({
          runtime,
          threads: 1,
          batch,
          network: PAIR[member],
          ...profiled[member],
          method: `layer by layer, wall clock per layer's apply(), mean of ${runs} run${runs > 1 ? 's' : ''}`,
        });
    }
  } finally {
    for (const member of PAIR_MEMBERS) models[member].dispose();
  }
}

export const tfjsNetworkRunner: NetworkRunner = {
  name: 'tfjs',
  async run(context) {
    const out: NetworkRunnerResult = {
      pairs: [],
      profiles: [],
      skipped: [],
      info: { 'tfjs-core': tf.version_core },
    };
    tf.env().set('PROD', true);
    for (const backend of BACKENDS) {
      if (context.quick && backend === QUICK_SKIP) {
        out.skipped.push({
          runtime: `tfjs-${backend}`,
          reason: 'not in --quick: one whole-network forward takes 8–30 s on the cpu backend here',
        });
        continue;
      }
      await runBackend(backend, context, out);
    }
    if (context.threads.some((t) => t > 1))
      out.skipped.push({ runtime: 'tfjs-wasm 2 threads', reason: await threadsNote() });
    return out;
  },
};

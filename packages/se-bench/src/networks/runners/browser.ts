import type { Skipped } from '../../measurement.js';
import { runBrowserPage } from '../../runners/browser.js';
import { median } from '../../timing.js';
import type { NetworkRunner, RawPair } from '../types.js';

// The network suite's browser half (browser/networks.ts, through the same vitest page as the
// blocks): TF.js webgl and webgpu, onnxruntime-web wasm and webgpu in headless Chromium, where
// WebGL is SwiftShader and WebGPU Dawn's CPU adapter. Not profiled: no per-kernel GPU timer here.

export const browserNetworkRunner: NetworkRunner = {
  name: 'browser',
  async run({ quick, batches, timing, seed, log }) {
    // A forward takes seconds on SwiftShader and tens of seconds on Dawn's CPU adapter: fewer
    // rounds than in Node (batch 8 is left out there by the batch loop's time limit).
    const browserTiming = {
      ...timing,
      repeats: Math.min(timing.repeats, 5),
      minRepeats: Math.min(timing.minRepeats, 2),
    };
    const outcome = await runBrowserPage<{
      pairs: RawPair[];
      skipped: Skipped[];
      info: Record<string, string>;
    }>({ suite: 'networks', quick, batches, timing: browserTiming, seed });
    if ('reason' in outcome)
      return { pairs: [], profiles: [], skipped: [{ runtime: 'browser', reason: outcome.reason }] };
    for (const p of outcome.result.pairs)
      log(
        `${p.runtime} b${p.batch}: ResNet-50 ${median(p.times.plain).toFixed(1)} ms, SE-ResNet-50 ${median(p.times.se).toFixed(1)} ms`,
      );
    return { ...outcome.result, profiles: [] };
  },
};

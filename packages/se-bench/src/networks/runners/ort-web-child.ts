// onnxruntime-web's wasm EP in Node, one thread count per process (the count is fixed when its
// wasm module starts). Started by ort.ts with fork(): receives an OrtWebRequest, reports log
// lines and an OrtWebReply over IPC. Its profiles are printed by onnxruntime-web itself on
// stdout, between PROFILE_START / PROFILE_END marker lines the parent reads them from.
import { writeSync } from 'node:fs';
import { processCpuMs } from '../paired.js';
import type { PairMember } from '../types.js';
import { endProfiling, profileOrtPair, timeOrtPair } from './ort-pair.js';
import {
  type OrtWebReply,
  type OrtWebRequest,
  PROFILE_END,
  PROFILE_START,
} from './ort-web-protocol.js';

async function serve(request: OrtWebRequest): Promise<OrtWebReply> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = request.threads;
  const session = { runtime: 'web', ort, executionProviders: ['wasm'] } as const;
  const log = (line: string) => process.send?.({ log: line });
  const { pairs, skipped } = await timeOrtPair({
    runtime: 'ort-web-wasm',
    threads: request.threads,
    session,
    batches: request.batches,
    timing: request.timing,
    seed: request.seed,
    log,
    cpuMs: processCpuMs,
  });
  const profiledBatches = pairs.map((p) => p.batch);
  if (request.profileRuns > 0 && profiledBatches.length > 0) {
    await profileOrtPair({
      session,
      batches: profiledBatches,
      runs: request.profileRuns,
      seed: request.seed,
      // Synchronous writes to fd 1, as onnxruntime-web's own, keep the markers in order.
      finish: async (s, member: PairMember) => {
        writeSync(1, `${PROFILE_START} ${member}\n`);
        await endProfiling(s);
        writeSync(1, `${PROFILE_END}\n`);
      },
    });
  }
  return {
    pairs,
    skipped,
    threadsInUse: ort.env.wasm.numThreads,
    profiledBatches,
    version: ort.env.versions.web ?? 'unknown',
  };
}

process.once('message', (request: OrtWebRequest) => {
  serve(request).then(
    (reply) => process.send?.({ reply }, () => process.exit(0)),
    (error: Error) =>
      process.send?.({ error: error.stack ?? String(error) }, () => process.exit(1)),
  );
});

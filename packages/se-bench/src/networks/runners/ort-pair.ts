import {
  loadNetworkSession,
  type NetworkSession,
  type NetworkSessionOptions,
} from '@seblock/se-onnxruntime/networks';
import { type BatchForwards, measureBatches } from '../batches.js';
import { inputShape, pairInput, pairNetwork, pairWeights } from '../models.js';
import { type NetworkTiming, PAIR_MEMBERS, type PairMember } from '../types.js';

// onnxruntime sessions of the pair, shared by onnxruntime-node (in this process) and
// onnxruntime-web's wasm EP (in a child process per thread count: its thread count is fixed
// when its wasm module starts).

/** Opens both networks with the same options, built from the same seeded weights. */
export async function openPair(
  options: NetworkSessionOptions,
  seed: number,
): Promise<Record<PairMember, NetworkSession>> {
  const sessions: Partial<Record<PairMember, NetworkSession>> = {};
  for (const member of PAIR_MEMBERS) {
    sessions[member] = await loadNetworkSession(
      pairNetwork(member),
      pairWeights(member, seed),
      options,
    );
  }
  return sessions as Record<PairMember, NetworkSession>;
}

/** Times the pair on every batch (alternating rounds) and releases the sessions. */
export async function timeOrtPair(options: {
  readonly runtime: string;
  readonly threads: number;
  readonly session: NetworkSessionOptions;
  readonly batches: readonly number[];
  readonly timing: NetworkTiming;
  readonly seed: number;
  readonly log: (line: string) => void;
  /** Process CPU ms, where there is a clock for it (Node). */
  readonly cpuMs?: () => number;
}) {
  return measureBatches({
    ...options,
    prepare: async (batch): Promise<BatchForwards> => {
      const x = pairInput(options.seed, batch);
      const shape = inputShape(batch);
      // A pair per batch with every dim fixed, as a deployment would build it: that is what
      // lets onnxruntime-node's sessions write the 'nchwc' scale form (se-onnxruntime's
      // networks/session.ts); both networks get the same options.
      const [, , height, width] = shape;
      const sessions = await openPair({ ...options.session, batch, height, width }, options.seed);
      return {
        forwards: {
          plain: () => sessions.plain.runArray(x, shape),
          se: () => sessions.se.runArray(x, shape),
        },
        dispose: async () => {
          for (const member of PAIR_MEMBERS) await sessions[member].release();
        },
      };
    },
  });
}

/**
 * Runs both networks with profiling on, in alternating order like the timed rounds (so load
 * drift falls on both profiles alike): per batch one warm-up each, then `runs` profiled
 * forwards each, so in each network's profile batch k's profiled runs are `model_run`s
 * k·(runs+1)+1 … k·(runs+1)+runs. `finish` ends a profile (onnxruntime-node writes a file,
 * onnxruntime-web prints it) and reads it.
 */
export async function profileOrtPair<T>(options: {
  readonly session: NetworkSessionOptions;
  readonly batches: readonly number[];
  readonly runs: number;
  readonly seed: number;
  readonly finish: (session: NetworkSession, member: PairMember) => Promise<T>;
}): Promise<T[]> {
  const sessions = await openPair(
    {
      ...options.session,
      sessionOptions: { ...options.session.sessionOptions, enableProfiling: true },
    },
    options.seed,
  );
  try {
    for (const batch of options.batches) {
      const x = pairInput(options.seed, batch);
      const run = (member: PairMember) => sessions[member].runArray(x, inputShape(batch));
      for (const member of PAIR_MEMBERS) await run(member);
      for (let i = 0; i < options.runs; i++)
        for (const member of i % 2 === 0 ? PAIR_MEMBERS : [...PAIR_MEMBERS].reverse())
          await run(member);
    }
    const out: T[] = [];
    for (const member of PAIR_MEMBERS) out.push(await options.finish(sessions[member], member));
    return out;
  } finally {
    for (const member of PAIR_MEMBERS) await sessions[member].release();
  }
}

/** Where batch k's profiled runs are among a profile's `model_run`s (see profileOrtPair). */
export const profiledRuns = (batchIndex: number, runs: number) => ({
  first: batchIndex * (runs + 1) + 1,
  count: runs,
});

/** Ends a session's profile: onnxruntime's own `endProfiling`, which se-onnxruntime's session type does not list. */
export async function endProfiling(session: NetworkSession): Promise<void> {
  await (session.inferenceSession as unknown as { endProfiling(): unknown }).endProfiling();
}

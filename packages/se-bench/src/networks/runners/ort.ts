import { fork } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Skipped } from '../../measurement.js';
import { nodeTimes } from '../../runners/ort-profile.js';
import { IMAGE } from '../models.js';
import { processCpuMs } from '../paired.js';
import type {
  NetworkContext,
  NetworkRunner,
  NetworkRunnerResult,
  PairMember,
  RawProfile,
} from '../types.js';
import { PAIR } from '../types.js';
import { endProfiling, profiledRuns, profileOrtPair, timeOrtPair } from './ort-pair.js';
import {
  type OrtWebReply,
  type OrtWebRequest,
  PROFILE_END,
  PROFILE_START,
} from './ort-web-protocol.js';

// onnxruntime: onnxruntime-node's CPU EP here (intraOpNumThreads 1 and 2), onnxruntime-web's
// wasm EP in a child process per thread count. Both profiled at one thread by onnxruntime's
// own profiler (per-node kernel times).

const CHILD = fileURLToPath(new URL('./ort-web-child.js', import.meta.url));

function profilesFrom(
  runtime: string,
  perMember: readonly { member: PairMember; events: unknown[] }[],
  batches: readonly number[],
  runs: number,
): RawProfile[] {
  return perMember.flatMap(({ member, events }) =>
    batches.map((batch, k) => {
      const { first, count } = profiledRuns(k, runs);
      const { runMs, entries } = nodeTimes(events, first, count);
      return {
        runtime,
        threads: 1,
        batch,
        network: PAIR[member],
        wallMs: runMs,
        entries,
        method: `onnxruntime profiler (kernel time per node), mean of ${runs} run${runs > 1 ? 's' : ''}`,
      };
    }),
  );
}

async function ortNode(context: NetworkContext, out: NetworkRunnerResult): Promise<void> {
  let version: string;
  try {
    const ort = await import('onnxruntime-node');
    version = (ort as unknown as { env: { versions: { common: string } } }).env.versions.common;
  } catch (error) {
    out.skipped.push({
      runtime: 'ort-node-cpu',
      reason: `onnxruntime-node did not load: ${error}`,
    });
    return;
  }
  Object.assign(out.info ?? {}, { 'onnxruntime-node': version });
  const session = (threads: number, extra: Record<string, unknown> = {}) =>
    ({
      runtime: 'node',
      executionProviders: ['cpu'],
      sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1, ...extra },
    }) as const;
  let profiled: number[] = [];
  for (const threads of context.threads) {
    const { pairs, skipped } = await timeOrtPair({
      ...context,
      runtime: 'ort-node-cpu',
      threads,
      session: session(threads),
      cpuMs: processCpuMs,
    });
    out.pairs.push(...pairs);
    out.skipped.push(...skipped);
    if (threads === 1) profiled = pairs.map((p) => p.batch);
  }
  if (profiled.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'se-bench-network-profile-'));
  try {
    const runs = context.timing.profileRuns;
    // One pair per batch with every dim fixed, like the timed pairs (timeOrtPair), so the
    // profile is of the same graph onnxruntime-node built there.
    for (const batch of profiled) {
      const perMember = await profileOrtPair({
        session: {
          ...session(1, { profileFilePrefix: join(dir, 'profile') }),
          batch,
          height: IMAGE[1],
          width: IMAGE[2],
        },
        batches: [batch],
        runs,
        seed: context.seed,
        finish: async (s, member) => {
          await endProfiling(s);
          // One file per session; the one not read yet is this member's.
          const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
          if (!file) throw new Error(`onnxruntime-node wrote no profile into ${dir}`);
          const events = JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown[];
          await rm(join(dir, file));
          return { member, events };
        },
      });
      out.profiles.push(...profilesFrom('ort-node-cpu', perMember, [batch], runs));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses the child's stdout: onnxruntime-web's printed events between the markers, per member. */
export function printedProfiles(stdout: string): { member: PairMember; events: unknown[] }[] {
  const out: { member: PairMember; events: unknown[] }[] = [];
  let current: { member: PairMember; events: unknown[] } | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${PROFILE_START} `)) {
      current = { member: line.slice(PROFILE_START.length + 1).trim() as PairMember, events: [] };
    } else if (line.startsWith(PROFILE_END) && current) {
      out.push(current);
      current = undefined;
    } else if (current && line.trimStart().startsWith('{')) {
      current.events.push(JSON.parse(line.trim().replace(/,$/, '')));
    }
  }
  return out;
}

function ortWebChild(request: OrtWebRequest, log: (line: string) => void) {
  return new Promise<{ reply: OrtWebReply; stdout: string }>((resolve, reject) => {
    const child = fork(CHILD, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stdout = '';
    let stderr = '';
    let reply: OrtWebReply | undefined;
    let failure: string | undefined;
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('message', (m: { log?: string; reply?: OrtWebReply; error?: string }) => {
      if (m.log) log(m.log);
      if (m.reply) reply = m.reply;
      if (m.error) failure = m.error;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (reply) resolve({ reply, stdout });
      else
        reject(
          new Error(
            failure ?? `exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
    child.send(request);
  });
}

async function ortWeb(context: NetworkContext, out: NetworkRunnerResult): Promise<void> {
  for (const threads of context.threads) {
    const runtime = 'ort-web-wasm';
    try {
      const profileRuns = threads === 1 ? context.timing.profileRuns : 0;
      const { reply, stdout } = await ortWebChild(
        {
          threads,
          batches: context.batches,
          timing: context.timing,
          seed: context.seed,
          profileRuns,
        },
        context.log,
      );
      Object.assign(out.info ?? {}, { 'onnxruntime-web': reply.version });
      if (reply.threadsInUse !== threads) {
        out.skipped.push({
          runtime: `${runtime} ${threads} threads`,
          reason: `onnxruntime-web ran ${reply.threadsInUse} thread(s) when asked for ${threads}`,
        });
        continue;
      }
      out.pairs.push(...reply.pairs);
      out.skipped.push(...reply.skipped);
      if (profileRuns > 0)
        out.profiles.push(
          ...profilesFrom(runtime, printedProfiles(stdout), reply.profiledBatches, profileRuns),
        );
    } catch (error) {
      out.skipped.push({ runtime: `${runtime} ${threads} thread(s)`, reason: String(error) });
    }
  }
}

export const ortNetworkRunner: NetworkRunner = {
  name: 'onnxruntime',
  async run(context) {
    const out: NetworkRunnerResult = {
      pairs: [],
      profiles: [],
      skipped: [] as Skipped[],
      info: {},
    };
    await ortNode(context, out);
    await ortWeb(context, out);
    return out;
  },
};

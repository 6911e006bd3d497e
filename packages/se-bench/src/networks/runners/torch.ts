import { fileURLToPath } from 'node:url';
import { pythonFailure, runPython } from '../../runners/torch.js';
import type { NetworkRunner, PairNetwork, RawPair, RawProfile } from '../types.js';
import { PAIR } from '../types.js';

// PyTorch (Debian's python3-torch), eager, on 1 and 2 threads: scripts/torch_networks.py builds
// the same two networks from se-core's fixture code with the same seeded weights, times them in
// alternating rounds and profiles them (torch.profiler, ops charged to modules).

const SCRIPT = fileURLToPath(new URL('../../../scripts/torch_networks.py', import.meta.url));

interface TorchReply {
  readonly torch: string;
  readonly runs: readonly {
    readonly threads: number;
    readonly batch: number;
    readonly times: Readonly<Record<PairNetwork, number[]>>;
    readonly cpu_per_wall: number;
    readonly logits: Readonly<Record<PairNetwork, number[]>>;
  }[];
  readonly profiles: readonly {
    readonly network: PairNetwork;
    readonly batch: number;
    readonly threads: number;
    readonly wall_ms: number;
    readonly entries: RawProfile['entries'];
  }[];
}

export const torchNetworkRunner: NetworkRunner = {
  name: 'pytorch',
  async run({ batches, threads, timing, seed, log }) {
    const request = {
      seed,
      networks: [PAIR.plain, PAIR.se],
      batches,
      threads,
      warmup: timing.warmup,
      min_rounds: timing.minRepeats,
      max_rounds: timing.repeats,
      budget_ms: timing.budgetMs,
      profile_runs: timing.profileRuns,
    };
    const { code, stdout, stderr } = await runPython(SCRIPT, JSON.stringify(request));
    if (code !== 0)
      return {
        pairs: [],
        profiles: [],
        skipped: [{ runtime: 'pytorch-cpu', reason: pythonFailure(SCRIPT, code, stderr) }],
      };
    const reply = JSON.parse(stdout) as TorchReply;
    const pairs: RawPair[] = reply.runs.map((r) => {
      log(
        `pytorch-cpu ${r.threads}t b${r.batch}: ResNet-50 ${Math.min(...r.times[PAIR.plain]).toFixed(1)} ms, SE-ResNet-50 ${Math.min(...r.times[PAIR.se]).toFixed(1)} ms (fastest of ${r.times[PAIR.se].length} rounds)`,
      );
      return {
        runtime: 'pytorch-cpu',
        threads: r.threads,
        batch: r.batch,
        times: { plain: r.times[PAIR.plain], se: r.times[PAIR.se] },
        logits: { plain: r.logits[PAIR.plain], se: r.logits[PAIR.se] },
        cpuPerWall: r.cpu_per_wall,
      };
    });
    const profiles: RawProfile[] = reply.profiles.map((p) => ({
      runtime: 'pytorch-cpu',
      threads: p.threads,
      batch: p.batch,
      network: p.network,
      wallMs: p.wall_ms,
      entries: p.entries,
      method: `torch.profiler, CPU time of each aten op charged to its innermost module, mean of ${timing.profileRuns} run${timing.profileRuns > 1 ? 's' : ''}`,
    }));
    return { pairs, profiles, skipped: [], info: { torch: reply.torch } };
  },
};

import { networkCost } from '@seblock/se-core/networks';
import type { Skipped } from '../measurement.js';
import { IMAGE, pairNetwork } from './models.js';
import { summarisePair } from './paired.js';
import { summariseProfile } from './profile.js';
import { createProgress } from './progress.js';
import { checkLogits, referenceLogits, referenceSeed } from './reference.js';
import { browserNetworkRunner } from './runners/browser.js';
import { ortNetworkRunner } from './runners/ort.js';
import { tfjsNetworkRunner } from './runners/tfjs.js';
import { torchNetworkRunner } from './runners/torch.js';
import {
  type CostSummary,
  type NetworkContext,
  type NetworkRunner,
  type NetworkSuiteReport,
  type NetworkTiming,
  PAIR,
  type PairMeasurement,
  type PairMember,
  type ProfileSummary,
  type RawPair,
  type RawProfile,
} from './types.js';

/** Runners of the network suite, fastest first, with the block runners' names. */
export const NETWORK_RUNNERS: readonly NetworkRunner[] = [
  torchNetworkRunner,
  tfjsNetworkRunner,
  ortNetworkRunner,
  browserNetworkRunner,
];

/** Rounds of a full run and of a `--quick` smoke run (one round: every path once). */
// Up to 40 rounds: SE's overhead is a few percent, and on this shared 2-core machine 10 rounds
// of one forward left quartiles 4–11 points wide at batch 1 (one run said +1.4%, the next +3.4%
// for the same onnxruntime-node session); the 15 s budget per network still caps the slow
// runtimes (a forward of a second or more gets its 3–15 rounds as before).
export function networkTiming(quick: boolean): NetworkTiming {
  return quick
    ? { warmup: 1, repeats: 1, minRepeats: 1, budgetMs: 0, profileRuns: 1 }
    : { warmup: 1, repeats: 40, minRepeats: 3, budgetMs: 15_000, profileRuns: 2 };
}

function costSummary(member: PairMember): CostSummary {
  const { nodes: _nodes, ...rest } = networkCost(pairNetwork(member), [IMAGE[1], IMAGE[2]]);
  return rest;
}

/** A runner's raw pair, its logits checked against PyTorch's float64 ones. */
export function checkedPair(raw: RawPair): PairMeasurement {
  const check = (member: PairMember) =>
    checkLogits(raw.logits[member], referenceLogits(PAIR[member], raw.batch));
  return summarisePair(raw, { plain: check('plain'), se: check('se') });
}

/** A runner's profile folded into parts, its logits (if it returned them) checked. */
export function checkedProfile(raw: RawProfile): ProfileSummary {
  const summary = summariseProfile(raw, pairNetwork(raw.network === PAIR.se ? 'se' : 'plain'));
  return raw.logits
    ? { ...summary, check: checkLogits(raw.logits, referenceLogits(raw.network, raw.batch)) }
    : summary;
}

/** What the suite is about to do, and how to do less: the first line of its log. */
export function suitePlan(
  context: Pick<NetworkContext, 'quick' | 'batches' | 'threads'>,
  runners: readonly Pick<NetworkRunner, 'name'>[],
): string {
  const plan = `${runners.map((r) => r.name).join(', ')}; batch ${context.batches.join(' and ')}, ${context.threads.join(' and ')} thread${context.threads.length > 1 || context.threads[0] !== 1 ? 's' : ''}`;
  return context.quick
    ? `${plan} (a smoke run: one round each)`
    : `${plan}; a full run takes tens of minutes on a small machine (\`--quick\`: batch 1, one thread, one round; \`--suite blocks\` leaves the networks out; \`--only\` picks runners)`;
}

/**
 * Runs the network suite: every selected runner (`only`: runner names) on SE-ResNet-50 and
 * ResNet-50, batch 1 and 8 (`quick`: batch 1, one thread, one round), one thread and two.
 */
export async function runNetworkSuite(options: {
  readonly quick: boolean;
  readonly only?: readonly string[];
  readonly log: (line: string) => void;
  /** Called before each runner (the load average is sampled there). */
  readonly onRunner?: (name: string) => void;
}): Promise<{ report: NetworkSuiteReport; versions: Record<string, string> }> {
  const { quick, only } = options;
  const progress = createProgress(options.log);
  const context: NetworkContext = {
    quick,
    batches: quick ? [1] : [1, 8],
    threads: quick ? [1] : [1, 2],
    timing: networkTiming(quick),
    seed: referenceSeed(),
    log: (line) => progress.log(`  ${line}`),
  };
  const pairs: PairMeasurement[] = [];
  const profiles: ProfileSummary[] = [];
  const skipped: Skipped[] = [];
  const versions: Record<string, string> = {};
  const selected = NETWORK_RUNNERS.filter((runner) => !only || only.includes(runner.name));
  progress.log(`[se-bench] networks: ${suitePlan(context, selected)}`);
  for (const [index, runner] of selected.entries()) {
    const done = progress.step(`${index + 1}/${selected.length} ${runner.name}`);
    options.onRunner?.(runner.name);
    try {
      const result = await runner.run(context);
      pairs.push(...result.pairs.map(checkedPair));
      profiles.push(...result.profiles.map(checkedProfile));
      skipped.push(...result.skipped);
      Object.assign(versions, result.info ?? {});
    } catch (error) {
      skipped.push({
        runtime: `${runner.name} (networks)`,
        reason: `failed: ${(error as Error).stack ?? String(error)}`,
      });
    } finally {
      done();
    }
  }
  return {
    report: {
      seed: context.seed,
      image: [...IMAGE],
      batches: context.batches,
      threads: context.threads,
      timing: context.timing,
      cost: { plain: costSummary('plain'), se: costSummary('se') },
      pairs,
      profiles,
      skipped,
    },
    versions,
  };
}

import type { TargetResult } from '../report.js';
import { FAST_FORWARD_MS } from './paired.js';
import { seTotal } from './profile.js';
import {
  type CostSummary,
  type NetworkSuiteReport,
  type PairMeasurement,
  PROFILE_PARTS,
  type ProfilePart,
  type ProfileSummary,
} from './types.js';

// The network suite in the report: cost beside the paper's, the timed pairs with SE's overhead,
// same-thread comparisons, and where the SE network's extra time goes.

/** The SENet paper (Hu et al.), single 224×224 forward on CPU. */
export const PAPER = {
  plain: { parameters: 25.6e6, gflops: 3.86, ms: 164 },
  se: { parameters: 28.1e6, gflops: 3.87, ms: 167 },
} as const;

/** The issue's target: SE-ResNet-50 at most 3% slower than ResNet-50, batch 1, one thread. */
export const OVERHEAD_TARGET = 0.03;
export const TARGET_RUNTIMES = ['tfjs-wasm', 'ort-node-cpu'] as const;

const signed = (x: number, digits = 1) =>
  `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(digits)}%`;
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const threadsText = (t: number) => `${t} thread${t > 1 ? 's' : ''}`;

/** "+1.8% (+0.9 … +2.6)": the median per-round overhead and its quartiles. */
export function overheadText(p: Pick<PairMeasurement, 'overhead'>): string {
  const { median, low, high } = p.overhead;
  return `${signed(median)} (${signed(low)} … ${signed(high)})`;
}

const checked = (p: PairMeasurement) => p.check.plain.ok && p.check.se.ok;

/** The overhead target per runtime, judged on batch 1, one thread, checked logits. */
export function networkTargets(report: NetworkSuiteReport): TargetResult[] {
  return TARGET_RUNTIMES.map((runtime) => {
    const p = report.pairs.find((r) => r.runtime === runtime && r.batch === 1 && r.threads === 1);
    const target = `${runtime}: SE-ResNet-50 ≤ ${100 * OVERHEAD_TARGET}% slower than ResNet-50 (batch 1, 1 thread)`;
    if (!p) return { target, measured: 'not measured', met: undefined };
    if (!checked(p)) return { target, measured: 'wrong logits: not judged', met: undefined };
    return {
      target,
      measured: `${overheadText(p)}; ${ms(p.se.medianMs)} vs ${ms(p.plain.medianMs)} ms`,
      met: p.overhead.median <= OVERHEAD_TARGET,
    };
  });
}

/** Pairs whose logits failed the check against PyTorch's float64 ones. */
export function networkWrongResults(report: NetworkSuiteReport): string[] {
  const profiles = report.profiles
    .filter((p) => p.check && !p.check.ok)
    .map(
      (p) =>
        `${p.runtime} b${p.batch} ${p.network} profile: ${p.check?.worstUlp.toFixed(1)} ULPs of max |logit| from PyTorch float64 (allowed ${p.check?.allowedUlp.toFixed(1)})`,
    );
  return report.pairs
    .flatMap((p) =>
      (['plain', 'se'] as const)
        .filter((m) => !p.check[m].ok)
        .map(
          (m) =>
            `${p.runtime} ${threadsText(p.threads)} b${p.batch} ${m === 'se' ? 'SE-ResNet-50' : 'ResNet-50'}: ${p.check[m].worstUlp.toFixed(1)} ULPs of max |logit| from PyTorch float64 (allowed ${p.check[m].allowedUlp.toFixed(1)})`,
        ),
    )
    .concat(profiles);
}

function costTable(cost: Readonly<Record<'plain' | 'se', CostSummary>>): string[] {
  const g = (v: number) => (v / 1e9).toFixed(3);
  const m = (v: number) => (v / 1e6).toFixed(2);
  const { plain, se } = cost;
  return [
    '| per 224×224 image | ResNet-50 | SE-ResNet-50 | SE share | paper (ResNet-50 → SE-ResNet-50) |',
    '|---|--:|--:|--:|---|',
    `| parameters (M) | ${m(plain.parameters)} | ${m(se.parameters)} | ${m(se.se.parameters)} (${signed(se.parameters / plain.parameters - 1)}) | ${PAPER.plain.parameters / 1e6} → ${PAPER.se.parameters / 1e6} |`,
    `| multiply-adds, conv + FC (G) | ${g(plain.multiplyAdds)} | ${g(se.multiplyAdds)} | ${g(se.se.multiplyAdds)} (${signed(se.multiplyAdds / plain.multiplyAdds - 1, 2)}) | ${PAPER.plain.gflops} → ${PAPER.se.gflops} "GFLOPs" |`,
    `| elementwise work (G) | ${g(plain.elementwise)} | ${g(se.elementwise)} | ${g(se.se.elementwise)} | |`,
    `| multiply-adds + SE pool and scale (G) | ${g(plain.multiplyAdds)} | ${g(se.multiplyAdds + se.se.elementwise)} | ${signed((se.multiplyAdds + se.se.elementwise) / plain.multiplyAdds - 1, 2)} | |`,
  ];
}

function pairTable(pairs: readonly PairMeasurement[]): string[] {
  const lines = [
    '| runtime | threads | batch | ResNet-50 ms | SE-ResNet-50 ms | SE overhead: median per round (quartiles) | rounds | CPU / wall | worst ULP (allowed): ResNet-50, SE-ResNet-50 |',
    '|---|--:|--:|--:|--:|---|--:|--:|---|',
  ];
  for (const p of pairs) {
    const ulps = `${p.check.plain.worstUlp.toFixed(1)} (${p.check.plain.allowedUlp.toFixed(0)}), ${p.check.se.worstUlp.toFixed(1)} (${p.check.se.allowedUlp.toFixed(0)})`;
    lines.push(
      `| ${p.runtime} | ${p.threads} | ${p.batch} | ${ms(p.plain.medianMs)} | ${ms(p.se.medianMs)} | ${checked(p) ? overheadText(p) : 'WRONG LOGITS'} | ${p.se.runs} | ${p.cpuPerWall?.toFixed(2) ?? ''} | ${ulps} |`,
    );
  }
  return lines;
}

/** Per thread count and batch, every runtime's SE-ResNet-50 time against PyTorch's. */
function sameThreadTable(pairs: readonly PairMeasurement[]): string[] {
  const lines = [
    '| threads | batch | runtime | SE-ResNet-50 ms | × PyTorch (same threads) | SE overhead |',
    '|--:|--:|---|--:|--:|---|',
  ];
  const keys = [
    ...new Set(
      pairs.filter((p) => !p.runtime.includes('Chromium')).map((p) => `${p.threads}/${p.batch}`),
    ),
  ];
  for (const key of keys.sort()) {
    const group = pairs
      .filter((p) => `${p.threads}/${p.batch}` === key && !p.runtime.includes('Chromium'))
      .sort((a, b) => a.se.medianMs - b.se.medianMs);
    const torch = group.find((p) => p.runtime === 'pytorch-cpu');
    for (const p of group)
      lines.push(
        `| ${p.threads} | ${p.batch} | ${p.runtime} | ${ms(p.se.medianMs)} | ${torch ? `${(p.se.medianMs / torch.se.medianMs).toFixed(2)}×` : ''} | ${overheadText(p)} |`,
      );
  }
  return lines;
}

const PART_LABELS: Readonly<Record<ProfilePart, string>> = {
  'se.pool': 'SE pool',
  'se.fc': 'SE FCs',
  'se.gate': 'SE gate',
  'se.scale': 'SE scale',
  se: 'SE (one kernel)',
  residual: 'residual add + ReLU',
  layout: 'layout changes',
  rest: 'rest (conv, BN, …)',
};

/** Per runtime and batch: both networks' profiles, their difference, and SE's share. */
function profileTable(profiles: readonly ProfileSummary[]): string[] {
  const lines = [
    `| runtime | batch | network | profiled ms | ${PROFILE_PARTS.map((p) => PART_LABELS[p]).join(' | ')} | SE blocks, % of the forward |`,
    `|---|--:|---|--:|${PROFILE_PARTS.map(() => '--:').join('|')}|--:|`,
  ];
  const cell = (v: number) => (Math.abs(v) < 0.05 ? '' : v.toFixed(1));
  const keys = [...new Set(profiles.map((p) => `${p.runtime}\n${p.batch}`))];
  for (const key of keys) {
    const [runtime, batch] = key.split('\n');
    const of = (network: string) =>
      profiles.find(
        (p) => p.runtime === runtime && String(p.batch) === batch && p.network === network,
      );
    const plain = of('resnet50');
    const se = of('seresnet50');
    for (const [label, p] of [
      ['ResNet-50', plain],
      ['SE-ResNet-50', se],
    ] as const) {
      if (!p) continue;
      const wrong = p.check && !p.check.ok ? ' (WRONG LOGITS)' : '';
      lines.push(
        `| ${runtime} | ${batch} | ${label}${wrong} | ${ms(p.totalMs)} | ${PROFILE_PARTS.map((part) => cell(p.parts[part])).join(' | ')} | ${label === 'SE-ResNet-50' ? `${((100 * seTotal(p.parts)) / p.totalMs).toFixed(1)}%` : ''} |`,
      );
    }
    if (plain && se)
      lines.push(
        `| ${runtime} | ${batch} | **difference** | **${ms(se.totalMs - plain.totalMs)}** | ${PROFILE_PARTS.map((part) => cell(se.parts[part] - plain.parts[part])).join(' | ')} | |`,
      );
  }
  return lines;
}

/** The network suite's section of the Markdown report. */
export function networkMarkdown(report: NetworkSuiteReport): string[] {
  const t = report.timing;
  const lines = [
    '## SE inside a whole network: SE-ResNet-50 against ResNet-50',
    '',
    `${report.image.join('×')} images, the same seeded weights apart from the SE blocks (seed ${report.seed}), timed in alternating rounds (one forward of each network per round, or the median of three in a row where a forward takes under ${FAST_FORWARD_MS} ms; the order flipped every round): median of up to ${t.repeats} rounds (at least ${t.minRepeats}, about ${t.budgetMs / 1000} s per network) after ${t.warmup} warm-up round${t.warmup === 1 ? '' : 's'}. The overhead is the median of the per-round ratios, so load that changes between rounds cancels. Every runtime's last logits are checked against PyTorch's float64 logits (committed).`,
    '',
    '### Cost (se-core `networkCost`)',
    '',
    ...costTable(report.cost),
    '',
    '### Time and SE overhead',
    '',
    ...pairTable(report.pairs),
    '',
  ];
  const targets = networkTargets(report);
  lines.push('| target | measured | met |', '|---|---|---|');
  for (const r of targets)
    lines.push(
      `| ${r.target} | ${r.measured} | ${r.met === undefined ? 'n/a' : r.met ? 'yes' : 'no'} |`,
    );
  lines.push(
    '',
    '### Same threads, same batch (Node and PyTorch)',
    '',
    ...sameThreadTable(report.pairs),
    '',
  );
  if (report.profiles.length > 0) {
    lines.push(
      '### Where the time goes (profiles, ms per forward, one thread)',
      '',
      ...profileTable(report.profiles),
      '',
      ...[...new Set(report.profiles.map((p) => `- ${p.runtime}: ${p.method}`))],
      '',
    );
  }
  if (report.skipped.length > 0) {
    lines.push('### Not measured', '');
    for (const s of report.skipped) lines.push(`- ${s.runtime}: ${s.reason}`);
    lines.push('');
  }
  return lines;
}

/** One console line per pair. */
export function networkConsoleLines(report: NetworkSuiteReport): string[] {
  return report.pairs.map(
    (p) =>
      `${p.runtime} ${threadsText(p.threads)} b${p.batch}: ResNet-50 ${ms(p.plain.medianMs)} ms, SE-ResNet-50 ${ms(p.se.medianMs)} ms, SE overhead ${checked(p) ? overheadText(p) : 'not judged (wrong logits)'}`,
  );
}

import { basename, relative } from 'node:path';
import type { Palette } from '../ui/palette.js';
import { renderTable } from '../ui/table.js';
import type { BackendFailure, BackendResult, ClassifySummary } from './classify.js';

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const secs = (s: number) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);
const percent = (p: number) => `${(100 * p).toFixed(p < 0.1 ? 2 : 1)}%`;
const clip = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text;

/** A path as typed relative to the working directory, when it is under it. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The image, the transform and the checkpoint: what is about to run. */
export function renderHead(
  head: Pick<ClassifySummary, 'image' | 'preprocess' | 'checkpoint'>,
  p: Palette,
): string {
  const { image, preprocess: t, checkpoint: c } = head;
  const [, , h, w] = t.input;
  const mean = t.mean.join(', ');
  const std = t.std.join(', ');
  const lines = [
    `${p.bold('image')}       ${image.sample ? `${basename(image.path)} (the demo's sample picture: a boat at sunset)` : shortPath(image.path)}, ${image.format} ${image.width}×${image.height}`,
    `${p.bold('transform')}   resize to ${t.resized.join('×')} (${t.interpolation}), centre crop ${w}×${h}, mean ${mean}, std ${std}`,
    p.dim(
      `            ${t.fromConfig.length ? `from the checkpoint's config.json: ${t.fromConfig.join(', ')}` : "timm's defaults (no pretrained_cfg in a config.json)"}`,
    ),
    `${p.bold('checkpoint')}  ${c.source}`,
    `            ${c.architecture}, ${c.numClasses} classes, ${MB(c.bytes)}, ready in ${secs(c.seconds)}`,
  ];
  if (c.seeded)
    lines.push(
      p.bad(
        "            Not trained: se-core's seeded weights, so the class names below mean nothing.",
      ),
      p.dim(
        '            What this shows is that one checkpoint gives the same answer on every backend. For a real',
      ),
      p.dim(
        '            one: --checkpoint https://huggingface.co/timm/seresnet50.a1_in1k/resolve/main',
      ),
    );
  return lines.join('\n');
}

/** One line per backend as it finishes. */
export function renderBackendLine(result: BackendResult | BackendFailure, p: Palette): string {
  if ('reason' in result)
    return `  ${result.label.padEnd(18)} ${p.bad(`failed: ${result.reason}`)}`;
  const top = result.top[0];
  return `  ${result.label.padEnd(18)} load ${secs(result.loadSeconds).padStart(7)}   run ${secs(result.runSeconds).padStart(7)}   top-1 ${top?.name} (${percent(top?.probability ?? 0)})`;
}

/** The top-k of every backend side by side; a cell that differs from the first backend's is marked. */
export function renderTopK(summary: ClassifySummary, p: Palette): string {
  const [first] = summary.backends;
  if (!first) return '';
  const rows = first.top.map((_, rank) => [
    `${rank + 1}`,
    ...summary.backends.map((b) => {
      const c = b.top[rank];
      if (!c) return '';
      const cell = `${clip(c.name, 22).padEnd(22)} ${percent(c.probability).padStart(6)}`;
      return c.index === first.top[rank]?.index ? cell : p.bad(`${cell} ≠`);
    }),
  ]);
  return renderTable(['rank', ...summary.backends.map((b) => b.label)], rows, [
    'right',
    ...summary.backends.map(() => 'left' as const),
  ]);
}

/** Every pair of backends: top-1, top-k overlap, the largest logit difference. */
export function renderAgreement(summary: ClassifySummary, p: Palette): string {
  const k = summary.top;
  const rows = summary.pairs.map((pair) => [
    `${pair.a} ↔ ${pair.b}`,
    pair.sameTop1 ? p.good('same') : p.bad('differs'),
    `${pair.overlap}/${k}${pair.sameOrder ? '' : ' (order differs)'}`,
    pair.maxAbsDifference.toExponential(2),
    pair.ulps.toFixed(1),
  ]);
  return renderTable(['pair', 'top-1', `top-${k}`, 'max |Δlogit|', 'ULPs of max |logit|'], rows);
}

/** One sentence: do they agree? */
export function renderVerdict(summary: ClassifySummary, p: Palette): string {
  const n = summary.backends.length;
  if (n < 2) return p.dim(`Only ${n} backend ran: nothing to compare.`);
  const top1 = new Set(summary.backends.map((b) => b.top[0]?.index));
  const sameTopK = summary.pairs.every((pair) => pair.overlap === summary.top);
  const worst = summary.pairs.reduce((a, b) => (b.ulps > a.ulps ? b : a));
  const scale = worst.maxAbsLogit.toPrecision(4);
  if (top1.size === 1)
    return p.good(
      `All ${n} backends give the same top-1 (${summary.backends[0]?.top[0]?.name})${sameTopK ? ` and the same top-${summary.top} set` : ''}.\n` +
        `The largest logit difference between two of them is ${worst.ulps.toFixed(1)} float32 ULPs of the largest |logit| (${scale}): ${worst.a} ↔ ${worst.b}.`,
    );
  return p.bad(
    `The backends disagree on the top-1: ${summary.backends.map((b) => `${b.label} → ${b.top[0]?.name}`).join(', ')}.`,
  );
}

/** The whole report after the runs: top-k side by side, agreement, verdict, memory. */
export function renderResults(summary: ClassifySummary, p: Palette): string {
  const parts = [
    `\n${p.bold(`Top-${summary.top} per backend`)} (softmax probabilities of ${basename(summary.image.path)})`,
    renderTopK(summary, p),
  ];
  if (summary.backends.length > 1)
    parts.push(
      `\n${p.bold('Agreement')} (all ${summary.checkpoint.numClasses} logits of each pair of backends)`,
      renderAgreement(summary, p),
    );
  parts.push('', renderVerdict(summary, p));
  parts.push(
    p.dim(
      `Peak memory ${summary.peakRssMB.toFixed(0)} MB (one model loaded at a time); Node ${summary.node}.`,
    ),
  );
  return parts.join('\n');
}

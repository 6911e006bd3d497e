// What the classify page draws: the backends' table (top-5 as coloured chips, one colour per
// class, so agreement is seen as columns of equal colours), the answer as bars, and the
// agreement matrix coloured by how far apart two backends' logits are.
import type { PairAgreement } from 'demo-imagenet';
import { $, el } from '../ui.js';
import type { BackendState, ClassifyPageState } from './state.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** A stable colour per class index, spread around the hue circle. */
const classColour = (index: number) => `hsl(${(index * 137.508) % 360} 62% 88%)`;

function statusCell(b: BackendState): HTMLTableCellElement {
  switch (b.status) {
    case 'done':
      return el('td', { className: 'num' }, `${seconds(b.loadMs ?? 0)} + ${seconds(b.runMs ?? 0)}`);
    case 'skipped':
    case 'failed':
      return el('td', { className: 'bad', colSpan: 2 }, `${b.status}: ${b.reason}`);
    default:
      return el(
        'td',
        { className: 'hint', colSpan: 2 },
        b.status === 'waiting' ? 'waiting…' : `${b.status}…`,
      );
  }
}

export function renderBackends(state: ClassifyPageState): void {
  const reference = state.backends.find((b) => b.top)?.top;
  const rows = state.backends.map((b) => {
    const row = el('tr');
    row.dataset.backend = b.id;
    row.dataset.status = b.status;
    row.append(el('td', { title: b.detail ?? '' }, b.label), statusCell(b));
    if (b.top) {
      const chips = b.top.map((c, rank) => {
        const chip = el(
          'span',
          { className: 'chip', title: `class ${c.index}, logit ${c.logit.toFixed(4)}` },
          `${c.name} `,
          el('small', {}, `${(100 * c.probability).toFixed(2)}%`),
        );
        chip.style.background = classColour(c.index);
        if (reference && reference[rank]?.index !== c.index) chip.classList.add('differs');
        return chip;
      });
      row.append(el('td', { className: 'chips' }, ...chips));
    }
    return row;
  });
  $('#results tbody').replaceChildren(...rows);
}

/** The answer of the first backend that has one: its top-5 as horizontal bars. */
export function renderAnswer(state: ClassifyPageState): void {
  const first = state.backends.find((b) => b.top);
  if (!first?.top) return;
  $('#answer').textContent = first.top[0]?.name ?? '–';
  const max = Math.max(...first.top.map((c) => c.probability));
  const bars = first.top.map((c) => {
    const bar = el('span', { className: 'bar' });
    bar.style.width = `${(100 * c.probability) / max}%`;
    bar.style.background = classColour(c.index);
    return el(
      'div',
      { className: 'answer-row' },
      el('span', { className: 'name' }, c.name),
      el('span', { className: 'track' }, bar),
      el('span', { className: 'num' }, `${(100 * c.probability).toFixed(2)}%`),
    );
  });
  $('#answer-bars').replaceChildren(...bars);
  $('#answer-source').textContent =
    `${first.label}'s top-5 (softmax); every backend's is in the table`;
}

/**
 * How far apart two answers are, as a colour: greens up to 32 ULPs (what two float32
 * evaluations of a deep network differ by), amber to 128, red beyond.
 */
function ulpColour(ulps: number): string {
  if (ulps <= 32) return `hsl(${140 - (40 * ulps) / 32} 60% 86%)`;
  if (ulps <= 128) return `hsl(${100 - (60 * (ulps - 32)) / 96} 75% 82%)`;
  return 'hsl(0 75% 84%)';
}

export function renderMatrix(state: ClassifyPageState): void {
  const done = state.backends.filter((b) => b.logits);
  const pairOf = (a: string, b: string): PairAgreement | undefined =>
    state.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
  const head = el('tr', {}, el('th'), ...done.map((b) => el('th', { className: 'rot' }, b.label)));
  const rows = done.map((a) => {
    const cells = done.map((b) => {
      if (a === b) return el('td', { className: 'diag' }, '—');
      const pair = pairOf(a.label, b.label);
      if (!pair) return el('td');
      const cell = el(
        'td',
        {
          className: 'cell',
          title: `max |Δlogit| ${pair.maxAbsDifference.toExponential(2)} of max |logit| ${pair.maxAbsLogit.toPrecision(4)}`,
        },
        el('strong', {}, pair.ulps.toFixed(1)),
        el('small', {}, ` ULP`),
        el(
          'div',
          { className: 'sub' },
          `${pair.sameTop1 ? '✓ top-1' : '✗ top-1'} · ${pair.overlap}/5`,
        ),
      );
      cell.style.background = pair.sameTop1 ? ulpColour(pair.ulps) : '#f8d0d0';
      return cell;
    });
    return el('tr', {}, el('th', {}, a.label), ...cells);
  });
  $('#matrix').replaceChildren(head, ...rows);
  const verdict = $('#verdict');
  if (done.length < 2) {
    verdict.textContent = '';
    return;
  }
  const top1 = new Set(done.map((b) => b.top?.[0]?.index));
  const worst = state.pairs.reduce((x, y) => (y.ulps > x.ulps ? y : x));
  const sameTop5 = state.pairs.every((p) => p.overlap === 5);
  verdict.className = top1.size === 1 ? 'good verdict' : 'bad verdict';
  verdict.textContent =
    top1.size === 1
      ? `${done.length} backends agree: ${done[0]?.top?.[0]?.name} first${sameTop5 ? ', the same top-5' : ''}. The largest logit difference between two of them is ${worst.ulps.toFixed(1)} float32 ULPs of the largest |logit| (${worst.a} ↔ ${worst.b}).`
      : `The backends disagree: ${done.map((b) => `${b.label} → ${b.top?.[0]?.name}`).join(', ')}.`;
}

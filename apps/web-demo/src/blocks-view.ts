// "Inside the SE blocks": for each block of the model, what se-tfjs' seBlockDetailed computes
// (the squeeze descriptors and the channel weights) and the same block on onnxruntime-web.
import { kindOfSpec, type SEBlock, SESpecError } from '@seblock/se-core';
import { seBlockDetailed } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { barChart } from './charts.js';
import { DESCRIPTOR_CAPTIONS, excitationFormula } from './kinds.js';
import { type DemoModel, type Inference, maxAbsDifference } from './model.js';
import type { OrtBlocks, OrtProvider, OrtResult } from './ort.js';
import { el, formatMs, formatSci } from './ui.js';

/** One provider's run of a block: its result, a block it cannot build (and why), or an error. */
export type OrtOutcome =
  | (OrtResult & { readonly maxAbsDifference: number })
  | { readonly unsupported: string }
  | { readonly error: string };

export interface BlockView {
  readonly name: string;
  readonly block: SEBlock;
  /** What the excitation receives, each one value per channel (two for CBAM's avg+max). */
  readonly descriptors: readonly Float32Array[];
  /** The channel weights e = gain · gate(logits). */
  readonly excitation: Float32Array;
  readonly ort: ReadonlyMap<OrtProvider, OrtOutcome>;
}

/** Descriptors and excitation of each SE block (TF.js, active backend), and the block on onnxruntime-web. */
export async function inspectBlocks(
  demo: DemoModel,
  inference: Inference,
  ortBlocks: OrtBlocks,
  providers: readonly OrtProvider[],
): Promise<BlockView[]> {
  const views: BlockView[] = [];
  for (const [k, name] of demo.seLayerNames.entries()) {
    const input = inference.seInputs[k] as Inference['seInputs'][number];
    const block = demo.blocks.get(name);
    if (!block) continue;
    const x = tf.tensor4d(input.values, input.shape as [number, number, number, number]);
    const { y, descriptors, logits, excitation } = seBlockDetailed(x, block);
    const values = (await Promise.all(
      [excitation, ...descriptors].map((t) => t.data()),
    )) as Float32Array[];
    tf.dispose([x, y, logits, excitation, ...descriptors]);
    const ort = new Map<OrtProvider, OrtOutcome>();
    for (const provider of providers) {
      try {
        const result = await ortBlocks.run(name, provider, input.values, input.shape);
        ort.set(provider, {
          ...result,
          maxAbsDifference: maxAbsDifference(result.y, inference.seOutputs[k] as Float32Array),
        });
      } catch (error) {
        // se-onnxruntime refuses a kind it does not write with an SESpecError: say so, in grey.
        const message = (error as Error).message.slice(0, 300);
        ort.set(
          provider,
          error instanceof SESpecError ? { unsupported: message } : { error: message },
        );
      }
    }
    const [e, ...d] = values as [Float32Array, ...Float32Array[]];
    views.push({ name, block, descriptors: d, excitation: e, ort });
  }
  return views;
}

function ortTable(view: BlockView, ortBlocks: OrtBlocks, picked: string): HTMLTableElement {
  const rows = [...view.ort.entries()].map(([provider, r]) => {
    const row = el('tr');
    row.dataset.provider = provider;
    const runtime = el('td', {}, `onnxruntime-web ${provider}`);
    if ('unsupported' in r) {
      row.classList.add('unavailable');
      row.append(runtime, el('td', { colSpan: 2 }, `cannot build this block: ${r.unsupported}`));
    } else if ('error' in r)
      row.append(runtime, el('td', { colSpan: 2, className: 'bad' }, r.error));
    else
      row.append(
        runtime,
        el('td', { className: 'num' }, formatSci(r.maxAbsDifference)),
        el('td', { className: 'num' }, formatMs(r.milliseconds)),
      );
    return row;
  });
  for (const [provider, reason] of ortBlocks.unavailable) {
    const row = el('tr', { className: 'unavailable' });
    row.append(
      el('td', {}, `onnxruntime-web ${provider}`),
      el('td', { colSpan: 2 }, `skipped: ${reason}`),
    );
    rows.push(row);
  }
  const table = el('table', { className: 'ort' });
  const head = el('tr');
  head.append(
    el('th', {}, 'runtime'),
    el('th', {}, `max |y − y TF.js ${picked}|`),
    el('th', {}, 'time'),
  );
  table.append(head, ...rows);
  return table;
}

/** One card per block: its kind, a chart per descriptor, the excitation chart, onnxruntime-web. */
export function blockCards(
  blocks: readonly BlockView[],
  ortBlocks: OrtBlocks,
  picked: string,
): HTMLElement[] {
  return blocks.map((view) => {
    const { spec } = view.block;
    const span = Math.max(1e-6, ...view.descriptors.flatMap((d) => Array.from(d, Math.abs)));
    const captions: readonly string[] = DESCRIPTOR_CAPTIONS[spec.squeeze];
    const card = el('div', { className: 'block' });
    card.dataset.block = view.name;
    card.dataset.kind = spec.excitation.kind;
    card.append(
      el(
        'h3',
        {},
        `${view.name} `,
        el(
          'small',
          {},
          `${spec.channels} channels, ${spec.excitation.kind}: ${kindOfSpec(spec).summary(spec.excitation)}`,
        ),
      ),
      ...view.descriptors.flatMap((d, i) => [
        el('div', { className: 'caption' }, captions[i] ?? `descriptor ${i + 1}`),
        barChart(d, {
          width: 320,
          height: 70,
          min: -span,
          max: span,
          color: '#6e7781',
          title: `${view.name} squeeze${view.descriptors.length > 1 ? ` ${i + 1}` : ''}`,
        }),
      ]),
      el(
        'div',
        { className: 'caption' },
        `excitation ${excitationFormula(view.block)}: the weight of each channel`,
      ),
      barChart(view.excitation, {
        width: 320,
        height: 70,
        min: 0,
        max: Math.max(1, spec.gain),
        color: '#d4a72c',
        title: `${view.name} excitation`,
      }),
      ortTable(view, ortBlocks, picked),
    );
    return card;
  });
}

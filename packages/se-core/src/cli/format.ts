import { kindOfSpec } from '../excitation/registry.js';
import type { Gate, SESpec } from '../spec/types.js';
import { formatTable } from './table.js';

/** `sigmoid`, or `hardsigmoid(1/6, 0.5)`: the slope is the number that differs between frameworks. */
export function formatGate(gate: Gate): string {
  if (gate.type === 'sigmoid') return 'sigmoid';
  const alpha = gate.alpha === 1 / 6 ? '1/6' : String(gate.alpha);
  return `hardsigmoid(${alpha}, ${gate.beta})`;
}

/** The summary table of SE blocks shared by `import` and `inspect`: one row per block, any kind. */
export function blockTable(blocks: readonly { prefix: string; spec: SESpec }[]): string[] {
  return formatTable(
    ['prefix', 'C', 'kind', 'excitation', 'gate', 'squeeze', 'gain', 'params'],
    blocks.map(({ prefix, spec }) => {
      const kind = kindOfSpec(spec);
      return [
        prefix === '' ? '(none)' : prefix,
        spec.channels,
        spec.excitation.kind,
        kind.summary(spec.excitation),
        formatGate(spec.gate),
        spec.squeeze,
        spec.gain,
        kind.cost(spec.excitation, spec.channels).params,
      ];
    }),
  );
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

// What the draw page says about each excitation kind of se-core: which trained model to load
// (`?kind=`), and the captions of the block charts. Tables keyed by every kind and squeeze
// mode, so a kind added to se-core fails to compile here until the page can describe it.
import {
  byExcitationKind,
  EXCITATION_KIND_NAMES,
  type ExcitationKindName,
  type Gate,
  type SEBlock,
  type SqueezeMode,
} from '@seblock/se-core';

/** The URL parameter that picks the model: `index.html?kind=eca`. */
export const KIND_PARAMETER = 'kind';

/**
 * The excitation kind the page shows: `?kind=` (one of se-core's kinds), else the SE MLP.
 * An unknown name is an error that lists the known ones (the page shows it).
 */
export function kindFromSearch(search: string): ExcitationKindName {
  const value = new URLSearchParams(search).get(KIND_PARAMETER);
  if (value === null) return 'mlp';
  if (!(EXCITATION_KIND_NAMES as readonly string[]).includes(value))
    throw new Error(
      `?${KIND_PARAMETER}=: expected one of ${EXCITATION_KIND_NAMES.join(', ')}, received "${value}"`,
    );
  return value as ExcitationKindName;
}

/** What each descriptor chart shows, per squeeze mode (CBAM's `avg+max` has two). */
export const DESCRIPTOR_CAPTIONS = {
  avg: ['squeeze s = mean over H×W of each channel'],
  max: ['squeeze s = max over H×W of each channel'],
  avgmax: ['squeeze s = ½ (mean + max) over H×W of each channel'],
  'avg+max': ['squeeze s_avg = mean over H×W of each channel', 's_max = max over H×W'],
} satisfies Record<SqueezeMode, readonly string[]>;

function gateName(gate: Gate): string {
  return gate.type === 'sigmoid'
    ? 'sigmoid'
    : `hardsigmoid(${+gate.alpha.toFixed(4)}·z + ${gate.beta})`;
}

/** The excitation as a formula with the block's own gate, activation, biases and kernel size. */
export function excitationFormula(block: SEBlock): string {
  const { gate, gain } = block.spec;
  const e = `e = ${gain === 1 ? '' : `${gain}·`}${gateName(gate)}`;
  const plus = (bias: boolean, term: string) => (bias ? ` + ${term}` : '');
  return byExcitationKind(block, {
    mlp: ({ excitation: x }) =>
      `${e}(W₂·${x.activation}(W₁·s${plus(x.bias, 'b₁')})${plus(x.bias, 'b₂')})`,
    cbam: ({ excitation: x }) =>
      `${e}(f(s_avg) + f(s_max)), f(s) = W₂·${x.activation}(W₁·s${plus(x.bias, 'b₁')})${plus(x.bias, 'b₂')}`,
    ese: ({ excitation: x }) => `${e}(W·s${plus(x.bias, 'b')})`,
    eca: ({ excitation: x }) =>
      `${e}(w ⋆ s), a ${x.kernelSize}-tap convolution across neighbouring channels`,
    ceca: ({ excitation: x }) =>
      `${e}(w ⊛ s), a ${x.kernelSize}-tap convolution across neighbouring channels, wrapped around`,
  });
}

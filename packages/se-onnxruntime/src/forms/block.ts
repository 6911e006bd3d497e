import {
  kindBlock,
  type Layout,
  parseSESpec,
  type SEBlock,
  type SESpec,
  validateSEWeights,
} from '@seblock/se-core';
import { type GraphSink, op, scalar } from '../graph/sink.js';
import { inferChannels } from '../proto/channels.js';
import type { GraphIndex } from '../proto/graph-index.js';
import type { NodeProto } from '../proto/onnx.js';
import type { ExcitationChoice, ExcitationMatch } from './excitation/form.js';
import { EXCITATION_FORM_LIST, excitationFormOf } from './excitation/registry.js';
import { emitGate, matchGate } from './gate/registry.js';
import { bothOrders, type Matched, producerOf, scalarConstant, skipShapeOps } from './match.js';
import type { SqueezeOp } from './pool/registry.js';
import { emitScale, type ScaleExpansion, skipScaleExpansion } from './scale.js';
import { snap } from './snap.js';
import { emitDescriptors, matchDescriptors } from './squeeze.js';
import { BROADCAST_SHAPE, reshapeVector, type Vector } from './vector.js';

// The whole block (SPEC.md, "The block"): squeeze → Σ over descriptors of the kind's logits →
// gate → gain → scale. Written and read back here, generically: the kind's own part is its
// excitation form (excitation/), the squeeze's is squeeze.ts, the gate's gate/.

/** How a block is written: the layout of x and the form of each stage. */
export interface FormChoice extends ExcitationChoice {
  readonly layout: Layout;
  readonly squeezeOp: SqueezeOp;
  /** x's [H, W] when e is expanded to it before the scale (scale.ts; NCHW only). */
  readonly expandScaleTo?: ScaleExpansion;
}

/**
 * A sink whose weights are written once per tensor name: the descriptors of `avg+max` go
 * through the same excitation (CBAM), which must read the same initializers (or function
 * inputs), not copies.
 */
function sharingWeights(sink: GraphSink): GraphSink {
  const written = new Map<string, string>();
  return {
    opset: sink.opset,
    node: (...args) => sink.node(...args),
    constant: (hint, tensor) => sink.constant(hint, tensor),
    weight(tensorName, tensor) {
      const name = written.get(tensorName) ?? sink.weight(tensorName, tensor);
      written.set(tensorName, name);
      return name;
    },
  };
}

/**
 * Writes one SE block reading `x` (a block se-core validated) and returns the name of y.
 * Every spec field is honoured explicitly: squeeze mode, excitation, gate (alpha and beta
 * written out), gain.
 */
export function emitSE(
  sink: GraphSink,
  x: string,
  block: SEBlock,
  choice: FormChoice,
  outputName?: string,
): string {
  const typed = kindBlock(block);
  const form = excitationFormOf(typed);
  const wants = form.wants(choice);
  const descriptors = emitDescriptors(
    sink,
    x,
    typed.spec.squeeze,
    choice.squeezeOp,
    choice.layout,
    wants === 'nc',
  );
  const shared = sharingWeights(sink);
  const logits = descriptors.map((d) =>
    form.emit(shared, wants ? reshapeVector(sink, d, wants, 'squeeze_vector') : d, typed, choice),
  );
  // CBAM: the logits of avg and max add before the gate.
  const z = logits.reduce((sum, l) => ({
    name: op(sink, 'Add', [sum.name, l.name], 'logits_sum'),
    shape: sum.shape,
  }));
  let e: Vector = {
    name: emitGate(sink, z.name, typed.spec.gate, choice.nanGuard),
    shape: z.shape,
  };
  if (typed.spec.gain !== 1)
    e = {
      name: op(sink, 'Mul', [e.name, scalar(sink, 'gain', typed.spec.gain)], 'gain'),
      shape: e.shape,
    };
  // Back to a shape that broadcasts against x.
  e = reshapeVector(sink, e, BROADCAST_SHAPE[choice.layout], 'excitation');
  return emitScale(sink, x, e.name, choice.expandScaleTo, outputName);
}

/** The block found at a Mul node. */
export interface SEMatch {
  readonly block: SEBlock;
  readonly layout: Layout;
  /** x and y. */
  readonly input: string;
  readonly output: string;
  readonly nodes: readonly NodeProto[];
  /** Initializer name of the kind's first weight (names the block). */
  readonly weightName: string;
  /** The build options that write the block this way again (those that apply to its kind). */
  readonly form: Partial<FormChoice> & Pick<FormChoice, 'squeezeOp' | 'nanGuard'>;
}

const sameValues = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.length === b.length &&
    Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i])));

/** The excitation and the descriptors it reads: one, or two whose logits are summed (avg+max). */
function matchExcitations(
  index: GraphIndex,
  tensor: string,
): { excitation: Matched<ExcitationMatch>; descriptors: string[]; nodes: NodeProto[] }[] {
  const options: {
    excitation: Matched<ExcitationMatch>;
    descriptors: string[];
    nodes: NodeProto[];
  }[] = [];
  for (const form of EXCITATION_FORM_LIST) {
    const sum = producerOf(index, tensor, ['Add']);
    const [a, b] = (sum?.input ?? []).map((t) => form.match(index, skipShapeOps(index, t, [])));
    const shared =
      a &&
      b &&
      a.value.excitation.kind === b.value.excitation.kind &&
      Object.keys({ ...a.value.weights, ...b.value.weights }).every((k) =>
        sameValues(a.value.weights[k], b.value.weights[k]),
      );
    if (sum && a && b && shared) {
      const through: NodeProto[] = [];
      for (const t of sum.input ?? []) skipShapeOps(index, t, through);
      options.push({
        excitation: a,
        descriptors: [a.input, b.input],
        nodes: [sum, ...through, ...b.nodes],
      });
    }
    const single = form.match(index, tensor);
    if (single) options.push({ excitation: single, descriptors: [single.input], nodes: [] });
  }
  return options;
}

/** The spec and weights, if se-core can represent them (e.g. not reducedChannels > channels). */
function representable(input: object, weights: SEBlock['weights']): SESpec | undefined {
  try {
    const spec = parseSESpec(input);
    validateSEWeights(spec, weights);
    return spec;
  } catch {
    return undefined;
  }
}

/**
 * The SE block whose scale is `mul` (y = x · e), read backwards: gain? → gate → Σ logits of
 * the kind's excitation → descriptors of a squeeze of x. Undefined when the nodes are not one.
 */
export function matchSE(index: GraphIndex, mul: NodeProto): SEMatch | undefined {
  for (const [x, e] of bothOrders(mul)) {
    const nodes: NodeProto[] = [mul];
    let t = skipShapeOps(index, skipScaleExpansion(index, e, nodes), nodes);
    let gate = matchGate(index, t);
    let gain = 1;
    if (!gate) {
      // e = gain · gate(z)
      const gainNode = producerOf(index, t, ['Mul']);
      const [inner, value] =
        bothOrders(gainNode).find(([, c]) => scalarConstant(index, c) !== undefined) ?? [];
      if (!gainNode || !inner || value === undefined) continue;
      gain = snap(scalarConstant(index, value) as number);
      nodes.push(gainNode);
      t = skipShapeOps(index, inner, nodes);
      gate = matchGate(index, t);
    }
    if (!gate) continue;
    const z = skipShapeOps(index, gate.input, nodes);
    for (const { excitation, descriptors, nodes: around } of matchExcitations(index, z)) {
      const squeeze = matchDescriptors(
        index,
        descriptors.map((d) => skipShapeOps(index, d, around)),
      );
      if (!squeeze) continue;
      // An NHWC block written with global pooling pools x transposed to NCHW.
      const viaTranspose = squeeze.input !== x && squeeze.fromNHWC?.input === x;
      if (squeeze.input !== x && !viaTranspose) continue;
      const { excitation: fields, weights, weightName, form } = excitation.value;
      const layout = viaTranspose ? 'NHWC' : squeeze.layout;
      // A kind whose weights do not fix C (eca) takes it from x.
      const channels = excitation.value.channels ?? inferChannels(index, x, layout).channels;
      const spec = representable(
        {
          version: 2,
          channels,
          squeeze: squeeze.mode,
          excitation: fields,
          gate: gate.value.gate,
          gain,
        },
        weights,
      );
      if (!spec) continue;
      return {
        block: { spec, weights },
        layout,
        input: x,
        output: mul.output?.[0] ?? '',
        nodes: [
          ...new Set([
            ...nodes,
            ...gate.nodes,
            ...around,
            ...excitation.nodes,
            ...squeeze.nodes,
            ...(viaTranspose && squeeze.fromNHWC ? [squeeze.fromNHWC.transpose] : []),
          ]),
        ],
        weightName,
        form: { ...form, squeezeOp: squeeze.form, nanGuard: gate.value.nanGuard },
      };
    }
  }
  return undefined;
}

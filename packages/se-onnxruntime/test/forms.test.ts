// The round trip of every form, GENERATED from the form registries (src/forms/): for every
// excitation kind × the squeeze modes it takes × layout × every combination of the form
// options that touch the kind × opset, as a plain graph or a function (alternating, so each
// combination is written both ways across its opsets):
//   buildSEModel → extractSE gives back the same spec, bit-identical weights and the form;
//   buildSEModel → onnxruntime-node equals se-core's float64 reference, NaN included (each
//   combination at one of its opsets, rotating: every opset runs, in a fifth of the time).
// A new form module (and its registry line) adds its cases here without a line of this file.
import {
  accuracyOf,
  type ExcitationKindName,
  excitationKind,
  LAYOUTS,
  type Layout,
  type SESpecInput,
  type SqueezeMode,
  seReference,
  seReferenceFloat32,
} from '@seblock/se-core';
import { afterAll, describe, expect, it } from 'vitest';
import { EXCITATION_FORMS } from '../src/forms/excitation/registry.js';
import { FORM_OPTION_VALUES, type FormOption } from '../src/forms/options.js';
import {
  type BuildSEModelOptions,
  buildSEModel,
  createModelSession,
  extractSE,
  MAX_OPSET,
  MIN_OPSET,
} from '../src/index.js';
import { expectSameBlock } from './support/blocks.js';
import {
  checkerCannotJudge,
  onnxCheckerUnavailableReason,
  runOnnxChecker,
} from './support/checker.js';
import { randomBlock, randomFloats } from './support/random.js';
import { ULP_TOLERANCE } from './support/tolerance.js';

/** The lowest and highest opsets, the default, and where a form changes (18: Reduce axes as input; 20: Gelu). */
const OPSETS = [MIN_OPSET, 17, 18, 20, MAX_OPSET];
const ACTIVATIONS = ['relu', 'relu6', 'silu', 'gelu', 'hardswish'] as const;
const GATES = [
  { type: 'sigmoid' },
  { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
  { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
] as const;
const CHANNELS = 10;

/** The excitation of each kind for case `i`: fields rotate so every value meets every form. */
const EXCITATIONS = {
  mlp: (i, activation) => ({ kind: 'mlp', reducedChannels: 3, activation, bias: i % 4 !== 1 }),
  cbam: (i, activation) => ({ kind: 'cbam', reducedChannels: 4, activation, bias: i % 3 !== 0 }),
  ese: (i) => ({ kind: 'ese', bias: i % 4 !== 2 }),
  // k = 1 too: its [1, 1, 1, 1] weight is also a one-channel dense layer (forms/excitation/eca.ts).
  eca: (i) => ({ kind: 'eca', kernelSize: [1, 3, 5, 9][i % 4] as number }),
  // k = 1 is eca's graph (no padding), read back as eca; (k − 1)/2 = 10 = C wraps the most.
  ceca: (i) => ({ kind: 'ceca', kernelSize: [3, 5, 9, 21][i % 4] as number }),
} satisfies Record<
  keyof typeof EXCITATION_FORMS,
  (
    i: number,
    activation: (typeof ACTIVATIONS)[number],
  ) => SESpecInput['excitation' & keyof SESpecInput] | object
>;

interface Case {
  readonly label: string;
  readonly kind: ExcitationKindName;
  readonly spec: SESpecInput;
  readonly options: BuildSEModelOptions;
  /** The form options that apply to this kind, as extractSE must report them. */
  readonly form: Partial<Record<FormOption, string>>;
  /** Whether onnxruntime-node runs it too: one opset per combination, rotating (time). */
  readonly run: boolean;
}

/** Every combination of the values of `options`. */
function combinations(options: readonly FormOption[]): Partial<Record<FormOption, string>>[] {
  return options.reduce<Partial<Record<FormOption, string>>[]>(
    (partial, option) =>
      partial.flatMap((c) => FORM_OPTION_VALUES[option].map((v) => ({ ...c, [option]: v }))),
    [{}],
  );
}

function generateCases(): Case[] {
  const cases: Case[] = [];
  for (const [kind, form] of Object.entries(EXCITATION_FORMS)) {
    const options: FormOption[] = ['squeezeOp', 'nanGuard', ...form.options];
    for (const squeeze of excitationKind(kind).squeezeModes as SqueezeMode[])
      for (const layout of LAYOUTS as readonly Layout[])
        for (const [c, choice] of combinations(options).entries())
          for (const [o, opset] of OPSETS.entries()) {
            const asFunction = (c + o) % 2 === 1;
            const i = cases.length;
            // The polynomial erf only shows in GELU: give it GELU; otherwise rotate activations.
            const activation =
              choice.erf === 'polynomial'
                ? 'gelu'
                : (ACTIVATIONS[i % ACTIVATIONS.length] as (typeof ACTIVATIONS)[number]);
            const spec: SESpecInput = {
              version: 2,
              channels: CHANNELS,
              squeeze,
              excitation: EXCITATIONS[kind as keyof typeof EXCITATIONS](i, activation) as never,
              gate: GATES[i % GATES.length] as SESpecInput['gate'],
              gain: i % 7 === 0 ? 2 : 1,
            };
            const label = `${kind} ${squeeze} ${layout} ${Object.values(choice).join(' ')} opset ${opset}${asFunction ? ' function' : ''}`;
            const relevant = Object.fromEntries(
              Object.entries(choice).filter(
                ([option]) => option !== 'erf' || activation === 'gelu',
              ),
            );
            cases.push({
              label,
              kind: kind as ExcitationKindName,
              spec,
              options: {
                ...choice,
                layout,
                opset,
                asFunction,
                name: 'stage1.se',
              } as BuildSEModelOptions,
              form: relevant,
              run: o === c % OPSETS.length,
            });
          }
  }
  return cases;
}

const CASES = generateCases();
const built = new Map<string, Uint8Array>();
const SHAPE = [2, CHANNELS, 5, 7] as const;

/** x in the model's layout; sample 1 holds a NaN in channel 1, whose mean and max must be NaN. */
function inputFor(layout: Layout, seed: number): { x: Float32Array; shape: number[] } {
  const [n, c, h, w] = SHAPE;
  const x = randomFloats(n * c * h * w, seed, 2);
  const shape = layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
  const nan = layout === 'NCHW' ? (1 * c + 1) * h * w + 3 : ((1 * h + 0) * w + 3) * c + 1;
  x[nan] = Number.NaN;
  return { x, shape };
}

describe('every form round-trips: build → extractSE → the same block, and → onnxruntime-node', () => {
  it('generates cases for every kind, form option and opset', () => {
    const kinds = new Set(CASES.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(Object.keys(EXCITATION_FORMS).sort());
    for (const option of Object.keys(FORM_OPTION_VALUES) as FormOption[])
      for (const value of FORM_OPTION_VALUES[option])
        expect(
          CASES.some((c) => c.form[option] === value),
          `${option} ${value}`,
        ).toBe(true);
    console.log(
      `[forms] ${CASES.length} generated round-trip cases, ${CASES.filter((c) => c.run).length} also run on onnxruntime-node`,
    );
  });

  it.each(CASES.map((c, i) => [c.label, c, i] as const))('%s', async (_label, testCase, i) => {
    const block = randomBlock(testCase.spec, 1000 + i);
    const model = buildSEModel(block, testCase.options);
    built.set(testCase.label, model);

    const found = extractSE(model);
    expect(found).toHaveLength(1);
    const [f] = found;
    expectSameBlock(f?.block ?? block, block, testCase.label);
    expect(f?.name).toBe('stage1.se');
    expect([f?.layout, f?.input, f?.output]).toEqual([testCase.options.layout, 'x', 'y']);
    expect(f?.form).toEqual({ ...testCase.form, asFunction: testCase.options.asFunction });

    if (!testCase.run) return;
    const layout = testCase.options.layout as Layout;
    const { x, shape } = inputFor(layout, 31 + i);
    const expected = seReference(block.spec, block.weights, x, shape, layout);
    const session = await createModelSession(model, { runtime: 'node' });
    const y = await session.runArray(x, shape);
    await session.release();
    const report = accuracyOf(y, expected, x);
    expect(report.nonFinite, 'the NaN sample is NaN where the reference is').toBeGreaterThan(0);
    // se-core's rule, 4 ULPs plus twice what a naive float32 evaluation loses on the case (CBAM
    // adds two logits, each through the 1.5e-7 polynomial erf when it is written that way).
    const naive = accuracyOf(seReferenceFloat32(block, x, shape, layout), expected, x).worstUlp;
    expect(report.worstUlp, JSON.stringify(report)).toBeLessThanOrEqual(ULP_TOLERANCE + 2 * naive);
  });
});

describe('onnx.checker', () => {
  const reason = onnxCheckerUnavailableReason();
  if (reason) console.warn(`skipping onnx.checker on the generated models: ${reason}`);
  it.skipIf(reason !== undefined)(
    'passes check_model(full_check=True) on every generated model onnx 1.12 can judge',
    () => {
      const judged = new Map([...built].filter(([, bytes]) => !checkerCannotJudge(bytes)));
      const results = runOnnxChecker(judged);
      console.log(
        `[forms] onnx.checker: ${results.filter((r) => !r.error).length}/${results.length} generated models pass; ${built.size - judged.size} not judged (IR > 8 or opset-18+ Reduce)`,
      );
      expect(results.filter((r) => r.error)).toEqual([]);
      expect(judged.size).toBeGreaterThan(CASES.length / 4);
    },
  );
});

afterAll(() => built.clear());

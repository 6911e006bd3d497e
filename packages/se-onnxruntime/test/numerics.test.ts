// Pins the measurements behind how activations and gates are written (activations.ts).

import { accuracyOf } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import { emitActivation } from '../src/forms/activation/registry.js';
import { emitGate } from '../src/forms/gate/registry.js';
import { GraphBuilder } from '../src/graph/graph-builder.js';
import { createModelSession } from '../src/index.js';
import { NameAllocator } from '../src/proto/names.js';
import { encodeModel, TensorDataType } from '../src/proto/onnx.js';

const f = Math.fround;
const N = 200_001;
const x = Float32Array.from({ length: N }, (_, i) => -4 + (8 * i) / (N - 1));

/** Runs a one-input elementwise graph over x on onnxruntime-node. */
async function elementwise(build: (g: GraphBuilder) => string): Promise<Float32Array> {
  const g = new GraphBuilder(new NameAllocator(), 't', 17);
  const y = build(g);
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: [{ dimValue: N }] } } },
  });
  const model = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: g.nodes,
      initializer: g.initializers,
      input: [info('x')],
      output: [info(y)],
    },
  });
  const session = await createModelSession(model, {
    runtime: 'node',
    graphOptimizationLevel: 'disabled',
  });
  const out = await session.runArray(x, [N]);
  await session.release();
  return out;
}

const mismatches = (a: Float32Array, b: Float32Array) =>
  a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0);

describe('float32 agreement with PyTorch kernels on 200,001 points in [-4, 4]', () => {
  it('hardswish: our composition equals PyTorch x*min(max(x+3,0),6)/6 bit for bit; the HardSwish op does not', async () => {
    const torch = Float32Array.from(x, (v) => f(f(v * Math.min(Math.max(f(v + 3), 0), 6)) / 6));
    const reference = Float64Array.from(x, (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6);
    const composed = await elementwise((g) => emitActivation(g, 'x', 'hardswish'));
    const op = await elementwise((g) => g.node('HardSwish', ['x'], 'hs')[0] as string);
    expect(mismatches(composed, torch)).toBe(0);
    // Two roundings (product, then /6): at most 2 float32 steps from the float64 value.
    expect(accuracyOf(composed, reference, reference).worstStrictUlp).toBeLessThanOrEqual(2);
    const opMismatches = mismatches(op, torch);
    console.log(
      `[numerics] HardSwish op differs from PyTorch on ${opMismatches} points, worst ${accuracyOf(op, reference, reference).worstStrictUlp.toFixed(0)} ULPs`,
    );
    expect(opMismatches).toBeGreaterThan(N / 10);
  });

  it("hard-sigmoid 1/6: our clamp((z+3)/6) equals PyTorch's kernel bit for bit; HardSigmoid(alpha=1/6) does not", async () => {
    const torch = Float32Array.from(x, (v) => f(Math.min(Math.max(f(v + 3), 0), 6) / 6));
    const reference = Float64Array.from(x, (v) => Math.min(Math.max(v / 6 + 0.5, 0), 1));
    const composed = await elementwise((g) =>
      emitGate(g, 'x', { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 }),
    );
    const op = await elementwise(
      (g) =>
        g.node('HardSigmoid', ['x'], 'hs', {
          alpha: { float: 1 / 6 },
          beta: { float: 0.5 },
        })[0] as string,
    );
    expect(mismatches(composed, torch)).toBe(0);
    expect(accuracyOf(composed, reference, reference).worstStrictUlp).toBeLessThanOrEqual(1);
    const opMismatches = mismatches(op, torch);
    console.log(
      `[numerics] HardSigmoid op differs from PyTorch on ${opMismatches} points, worst ${accuracyOf(op, reference, reference).worstStrictUlp.toFixed(0)} ULPs`,
    );
    expect(opMismatches).toBeGreaterThan(N / 10);
  });

  it('gelu (composed with Erf) stays within 2 ULPs of max(|h|, |z|) of the exact float64 GELU', async () => {
    const { erfc } = await import('@seblock/se-core');
    const reference = Float64Array.from(x, (v) => 0.5 * v * erfc(-v / Math.SQRT2));
    const composed = await elementwise((g) => emitActivation(g, 'x', 'gelu'));
    expect(accuracyOf(composed, reference, x).worstUlp).toBeLessThanOrEqual(2);
  });

  it('gelu with the polynomial erf (for runtimes without Erf) stays within 5 ULPs of max(|h|, |z|) of the exact GELU', async () => {
    const { erfc } = await import('@seblock/se-core');
    const reference = Float64Array.from(x, (v) => 0.5 * v * erfc(-v / Math.SQRT2));
    const polynomial = await elementwise((g) => emitActivation(g, 'x', 'gelu', 'polynomial'));
    const report = accuracyOf(polynomial, reference, x);
    console.log(
      `[numerics] polynomial-erf GELU: worst ${report.worstUlp.toFixed(2)} ULPs of max(|h|, |z|) on 200,001 points`,
    );
    // Measured 4.06 on onnxruntime-node: A&S's own 1.5e-7 plus float32 cancellation in 1 − q for small |z|
    // (the Erf composition above gets 2). A wrong constant or a sign slip costs far more.
    expect(report.worstUlp).toBeLessThanOrEqual(5);
  });
});

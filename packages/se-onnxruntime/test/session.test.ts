import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracyOf, SEError, SEShapeError, SESpecError, seReference } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  type BuildSEModelOptions,
  buildSEModel,
  createModelSession,
  createSESession,
  type OrtModuleLike,
  SEModelError,
  type SessionOptions,
} from '../src/index.js';
import { decodeModel } from '../src/proto/decode.js';
import { defaultOpset } from '../src/proto/onnx.js';
import { importRuntime } from '../src/session/runtime.js';
import { randomBlock, randomFloats } from './support/random.js';
import { ULP_TOLERANCE } from './support/tolerance.js';

const block = randomBlock({ channels: 6, reducedChannels: 2, activation: 'silu' }, 42);

// A runtime that loads anything: only the model a session writes or is given matters.
const anyModelRuntime: OrtModuleLike = {
  InferenceSession: {
    create: async () => ({
      inputNames: ['x'],
      outputNames: ['y'],
      run: async () => ({}),
      release: async () => undefined,
    }),
  },
  Tensor: class {
    constructor(
      readonly type: string,
      readonly data: Float32Array,
      readonly dims: readonly number[],
    ) {}
  },
};

describe('createSESession', () => {
  it('writes the forms chosen for the execution provider (SESSION_FORMS) unless told otherwise', async () => {
    const ops = (model: Uint8Array) => (decodeModel(model).graph?.node ?? []).map((n) => n.opType);
    // reduce-float64: the mean summed in float64 (Cast to double, ReduceSum, IsInf/Where overflow).
    const float64 = ['Cast', 'ReduceSum', 'IsInf', 'Where'];
    const cases = [
      [{ runtime: 'node' }, [...float64, 'Gemm']],
      [{ runtime: 'web' }, [...float64, 'Gemm']],
      [{ runtime: 'web', executionProviders: [{ name: 'wasm' }] }, [...float64, 'Gemm']],
      [{ runtime: 'node', fullyConnected: 'conv' }, [...float64, 'Conv']],
      [
        { runtime: 'node', squeezeOp: 'global-pool', fullyConnected: undefined },
        ['GlobalAveragePool', 'Gemm'],
      ],
      [{ runtime: 'node', layout: 'NHWC' }, [...float64, 'MatMul']],
    ] as const;
    for (const [options, expected] of cases) {
      const session = await createSESession(block, options);
      expect(ops(session.model), JSON.stringify(options)).toEqual(
        expect.arrayContaining([...expected]),
      );
      await session.release();
    }
  });

  it('writes ReduceMean at opset 18 with NaN guards on webgpu, and refuses ReduceMean below opset 18 there', async () => {
    const ort = anyModelRuntime;
    const model = async (options: Partial<SessionOptions & BuildSEModelOptions>) => {
      const session = await createSESession(block, { runtime: 'web', ort, ...options });
      return decodeModel(session.model);
    };
    const ops = async (options: Partial<SessionOptions & BuildSEModelOptions>) =>
      ((await model(options)).graph?.node ?? []).map((n) => n.opType);
    const webgpu = ['webgpu'];
    const nchw = await model({ executionProviders: webgpu });
    expect(defaultOpset(nchw)).toBe(18);
    // The axes are an input (opset 18), so onnxruntime-web takes its shared reduction kernel.
    const reduces = (nchw.graph?.node ?? []).filter((n) => n.opType === 'ReduceMean');
    expect(reduces.map((n) => n.input?.length)).toEqual([2]);
    // NaN guards after the activation and the gate (forms/nan-guard.ts).
    const guards = (nchw.graph?.node ?? []).filter((n) => /\/(act|gate)_nan$/.test(n.name ?? ''));
    expect(guards.map((n) => n.opType)).toEqual(['Add', 'Add']);
    expect(await ops({ executionProviders: [{ name: 'webgpu' }], layout: 'NHWC' })).toEqual(
      expect.arrayContaining(['ReduceMean', 'MatMul']),
    );
    // An explicit opset below 18: the global pools, whose axes are not a question.
    expect(await ops({ executionProviders: webgpu, opset: 17 })).toContain('GlobalAveragePool');
    expect(defaultOpset(await model({ executionProviders: webgpu, opset: 20 }))).toBe(20);
    // The CPU EP ahead of webgpu takes every node: its own forms stand.
    expect(await ops({ executionProviders: ['wasm', 'webgpu'], layout: 'NHWC' })).toContain(
      'IsInf',
    );
    const refused = createSESession(block, {
      runtime: 'web',
      ort,
      executionProviders: webgpu,
      layout: 'NHWC',
      squeezeOp: 'reduce',
      opset: 17,
    });
    await expect(refused).rejects.toThrow(SESpecError);
    await expect(refused).rejects.toMatchObject({
      field: 'options.squeezeOp',
      received: 'reduce',
      expected: expect.stringMatching(/webgpu EP reuses a ReduceMean\/ReduceMax shader/),
    });
  });

  it('warns, without refusing, when a model of your own has ReduceMean with axes attributes and runs on webgpu', async () => {
    const reduce = buildSEModel(block, { squeezeOp: 'reduce' });
    const warnings: string[] = [];
    const open = async (model: Uint8Array, executionProviders: string[]) =>
      (
        await createModelSession(model, {
          runtime: 'web',
          ort: anyModelRuntime,
          executionProviders,
          warn: (message) => warnings.push(message),
        })
      ).release();
    await open(reduce, ['webgpu']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /webgpu EP and has 1 ReduceMean\/ReduceMax node\(s\) with the axes as an attribute \(ReduceMean "/,
    );
    // wasm ahead of webgpu runs the reduction; a global-pool model has none; at opset 18 the axes
    // are an input, which takes the shared kernel.
    await open(reduce, ['wasm', 'webgpu']);
    await open(buildSEModel(block, { squeezeOp: 'global-pool' }), ['webgpu']);
    await open(buildSEModel(block, { squeezeOp: 'reduce', opset: 18 }), ['webgpu']);
    expect(warnings).toHaveLength(1);
  });

  for (const runtime of ['node', 'web'] as const) {
    it(`runs a block on ${runtime} in both layouts and any batch/spatial size`, async () => {
      for (const layout of ['NCHW', 'NHWC'] as const) {
        const session = await createSESession(block, { runtime, layout });
        expect(session.layout).toBe(layout);
        expect(session.inputNames).toEqual(['x']);
        for (const [n, h, w] of [
          [1, 1, 1],
          [2, 3, 5],
          [3, 8, 8],
        ] as const) {
          const shape = layout === 'NCHW' ? [n, 6, h, w] : [n, h, w, 6];
          const x = randomFloats(n * 6 * h * w, n + h + w);
          const report = accuracyOf(
            await session.runArray(x, shape),
            seReference(block.spec, block.weights, x, shape, layout),
            x,
          );
          expect(report.worstUlp).toBeLessThanOrEqual(ULP_TOLERANCE);
        }
        await session.release();
        await session.release(); // idempotent
        await expect(session.runArray(new Float32Array(6), [1, 6, 1, 1])).rejects.toThrow(
          SEModelError,
        );
      }
    });
  }

  it('checks x against the block: channels (with the layout hint) and length', async () => {
    const session = await createSESession(block, { runtime: 'node' });
    await expect(session.runArray(new Float32Array(6 * 4), [1, 2, 2, 6])).rejects.toThrow(
      SEShapeError,
    );
    await expect(session.runArray(new Float32Array(6 * 4), [1, 2, 2, 6])).rejects.toThrow(
      /looks like NHWC/,
    );
    await expect(session.runArray(new Float32Array(5), [1, 6, 1, 1])).rejects.toThrow(
      /6 values for shape \[1, 6, 1, 1\]/,
    );
    await expect(
      session.runArray([1, 2, 3] as unknown as Float32Array, [1, 6, 1, 1]),
    ).rejects.toThrow(SEShapeError);
    await session.release();
  });

  it('rejects an unknown runtime and an invalid block with typed errors', async () => {
    await expect(createSESession(block, { runtime: 'python' as 'node' })).rejects.toThrow(
      /expected 'node' or 'web'/,
    );
    await expect(
      createSESession(
        {
          spec: block.spec,
          weights: { fc1Weight: new Float32Array(1), fc2Weight: new Float32Array(1) },
        },
        { runtime: 'node' },
      ),
    ).rejects.toThrow(SEError);
  });

  it('passes execution providers through, and names them when the runtime refuses', async () => {
    await expect(
      createSESession(block, { runtime: 'node', executionProviders: ['no-such-ep'] }),
    ).rejects.toThrow(/\["no-such-ep"\]/);
  });
});

describe('createModelSession', () => {
  it('runs any single-input model', async () => {
    const session = await createModelSession(buildSEModel(block, { fullyConnected: 'matmul' }), {
      runtime: 'web',
    });
    const x = randomFloats(6 * 4, 3);
    const report = accuracyOf(
      await session.runArray(x, [1, 6, 2, 2]),
      seReference(block.spec, block.weights, x, [1, 6, 2, 2]),
      x,
    );
    expect(report.worstUlp).toBeLessThanOrEqual(ULP_TOLERANCE);
    await session.release();
  });

  it('rejects bytes that are not a model before the runtime sees them', async () => {
    await expect(
      createModelSession(new Uint8Array([0, 1, 2]), { runtime: 'node' }),
    ).rejects.toThrow(SEModelError);
    await expect(createModelSession(new Uint8Array(0), { runtime: 'node' })).rejects.toThrow(
      /0 bytes/,
    );
  });
});

/** Every .ts file under src/. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(new URL('../src', import.meta.url).pathname);
  return files;
}

describe('runtime loading', () => {
  it('names the package to install when a runtime is missing', async () => {
    const name = 'onnxruntime-not-installed';
    const call = importRuntime(name, () => import(/* @vite-ignore */ name), 'node');
    await expect(call).rejects.toThrow(SEModelError);
    await expect(
      importRuntime(name, () => import(/* @vite-ignore */ name), 'node'),
    ).rejects.toThrow(
      /needs the package onnxruntime-not-installed, which is not installed: run `npm install onnxruntime-not-installed`/,
    );
  });

  it('never imports a runtime statically, so a user with only one never loads the other', () => {
    const files = sourceFiles();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/^import[^;]*from\s+'onnxruntime-(node|web)/m);
    }
  });

  it('imports no Node built-in, so nothing in the package can open a file a model names', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(20);
    // The one exception: the fused SE scale + residual reads onnxruntime's optimised graph
    // back from a file of its own, in a directory it made (mkdtemp) and removes; no path comes
    // from a model. Its use of the file system is pinned to exactly that here.
    const ownTempFile = 'src/networks/fused-session.ts';
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (file.endsWith(ownTempFile)) {
        const calls = [...text.matchAll(/\bfs\.(\w+)\(/g)].map((m) => m[1]);
        expect(new Set(calls), file).toEqual(new Set(['mkdtemp', 'readFile', 'rm']));
        expect(text, file).toMatch(/fs\.mkdtemp\(join\(tmpdir\(\), /);
        continue;
      }
      expect(text, file).not.toMatch(
        /from\s+'(node:)?(fs|fs\/promises|child_process|path|os)'|import\(\s*'node:|require\(/,
      );
    }
    expect(files.some((f) => f.endsWith(ownTempFile))).toBe(true);
  });
});

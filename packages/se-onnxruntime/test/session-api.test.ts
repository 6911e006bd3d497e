// Sessions read like onnxruntime's own: feeds and fetches by name, ort.Tensor in and out,
// metadata, the InferenceSession underneath; every bad feed is a typed error naming the input.
import { accuracyOf, SEShapeError, SESpecError, seReference } from '@seblock/se-core';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildSEModel,
  createModelSession,
  createSESession,
  type ModelSession,
  type OrtModuleLike,
  SEModelError,
} from '../src/index.js';
import { encodeModel, TensorDataType } from '../src/proto/onnx.js';
import { externalData } from './support/hostile.js';
import { randomBlock, randomFloats } from './support/random.js';
import { ULP_TOLERANCE } from './support/tolerance.js';

const block = randomBlock({ channels: 6, reducedChannels: 2 }, 11);

/** y = a + b with a [N, 3] float32 and b [M, 3] float32 (two symbolic batch dims), and a count c [N] int64 passed through. */
function twoInputModel(bName = 'M'): Uint8Array {
  const info = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'two-inputs',
      node: [
        { opType: 'Add', input: ['a', 'b'], output: ['y'] },
        { opType: 'Identity', input: ['c'], output: ['count'] },
      ],
      input: [
        info('a', TensorDataType.FLOAT, ['N', 3]),
        info('b', TensorDataType.FLOAT, [bName, 3]),
        info('c', TensorDataType.INT64, ['N']),
      ],
      output: [
        info('y', TensorDataType.FLOAT, ['N', 3]),
        info('count', TensorDataType.INT64, ['N']),
      ],
    },
  });
}

const open: ModelSession<ort.Tensor>[] = [];
afterAll(async () => {
  for (const s of open) await s.release();
});
async function session(model: Uint8Array) {
  const s = await createModelSession(model, { runtime: 'node', ort });
  open.push(s);
  return s;
}
const f32 = (values: number[], dims: number[]) =>
  new ort.Tensor('float32', Float32Array.from(values), dims);
const i64 = (values: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [values.length]);

describe('ModelSession reads like InferenceSession', () => {
  it('feeds and fetches by name, ort.Tensor in and out with dims, metadata, the session underneath', async () => {
    const s = await session(twoInputModel());
    expect(s.inputNames).toEqual(['a', 'b', 'c']);
    expect(s.outputNames).toEqual(['y', 'count']);
    expect(s.inputMetadata).toEqual([
      { name: 'a', isTensor: true, type: 'float32', shape: ['N', 3] },
      { name: 'b', isTensor: true, type: 'float32', shape: ['M', 3] },
      { name: 'c', isTensor: true, type: 'int64', shape: ['N'] },
    ]);
    expect(s.outputMetadata.map((m) => m.type)).toEqual(['float32', 'int64']);
    expect(s.inferenceSession.inputNames).toEqual(['a', 'b', 'c']);
    const feeds = {
      a: f32([1, 2, 3, 4, 5, 6], [2, 3]),
      b: f32([10, 20, 30, 40, 50, 60], [2, 3]),
      c: i64([7, 8]),
    };
    const all = await s.run(feeds);
    // Typed as the ort module's own Tensor, because options.ort was given.
    const y: ort.Tensor = all.y as ort.Tensor;
    expect(y).toBeInstanceOf(ort.Tensor);
    expect(y.dims).toEqual([2, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([11, 22, 33, 44, 55, 66]);
    expect(Object.keys(await s.run(feeds, ['count']))).toEqual(['count']);
  });

  it('runArray is the typed-array path for a model with one float32 input', async () => {
    const s = await session(buildSEModel(block));
    const x = randomFloats(2 * 6 * 3 * 3, 2);
    const y = await s.runArray(x, [2, 6, 3, 3]);
    expect(y).toBeInstanceOf(Float32Array);
    const expected = seReference(block.spec, block.weights, x, [2, 6, 3, 3]);
    expect(accuracyOf(y, expected, x).worstUlp).toBeLessThanOrEqual(ULP_TOLERANCE);
    const two = await session(twoInputModel());
    await expect(two.runArray(x, [2, 6, 3, 3])).rejects.toThrow(
      /runArray: needs a model with one float32 input, this one has "a" \(float32\), "b" \(float32\), "c" \(int64\): use run\(feeds\)/,
    );
  });

  it('createSESession gives the same API, and checks feeds against the block', async () => {
    const s = await createSESession(block, { runtime: 'node', ort });
    const x = randomFloats(6 * 4, 5);
    const { y } = await s.run({ x: new ort.Tensor('float32', x, [1, 6, 2, 2]) });
    expect(y?.dims).toEqual([1, 6, 2, 2]);
    expect(s.inferenceSession?.outputNames).toEqual(['y']);
    await expect(s.run({ x: f32(Array.from(x), [1, 2, 2, 6]) })).rejects.toThrow(/looks like NHWC/);
    await s.release();
  });
});

describe('every bad feed is a typed error naming the input, before onnxruntime runs', () => {
  const good = () => ({ a: f32([1, 2, 3], [1, 3]), b: f32([1, 2, 3], [1, 3]), c: i64([1]) });
  const cases: [
    string,
    (s: ModelSession<ort.Tensor>) => Promise<unknown>,
    typeof SEShapeError | typeof SEModelError,
    RegExp,
  ][] = [
    [
      'a missing input',
      (s) => s.run({ a: good().a, b: good().b } as never),
      SEModelError,
      /feeds: missing input "c" \(int64 \[N\]\)/,
    ],
    [
      'an unknown input',
      (s) => s.run({ ...good(), d: good().a }),
      SEModelError,
      /feeds\.d: the model has no input "d"; its inputs: "a", "b", "c"/,
    ],
    [
      'a tensor instead of feeds',
      (s) => s.run(good().a as never),
      SEModelError,
      /received a tensor: pass \{ name: tensor \}/,
    ],
    [
      'not a tensor',
      (s) => s.run({ ...good(), a: new Float32Array(3) as never }),
      SEShapeError,
      /feeds\.a: expected an onnxruntime Tensor \(float32 \[N, 3\]\)/,
    ],
    [
      'the wrong type',
      (s) => s.run({ ...good(), c: f32([1], [1]) }),
      SEShapeError,
      /feeds\.c: expected a int64 \[N\] tensor, received float32 \[1\]/,
    ],
    [
      'the wrong rank',
      (s) => s.run({ ...good(), a: f32([1, 2, 3], [3]) }),
      SEShapeError,
      /feeds\.a: expected rank 2 \[N, 3\], received rank 1 \[3\]/,
    ],
    [
      'a fixed dim',
      (s) => s.run({ ...good(), a: f32([1, 2, 3, 4], [1, 4]) }),
      SEShapeError,
      /feeds\.a: expected \[N, 3\] \(dim 1 is fixed at 3\), received \[1, 4\]/,
    ],
    [
      'a symbolic dim that disagrees',
      (s) => s.run({ ...good(), c: i64([1, 2]) }),
      SEShapeError,
      /feeds\.c: expected dim 0 \("N"\) equal to "N" of input "a", 1, received \[2\] \(2\)/,
    ],
    [
      'data shorter than its dims',
      (s) =>
        s.run({
          ...good(),
          a: { type: 'float32', dims: [1, 3], data: new Float32Array(2) } as never,
        }),
      SEShapeError,
      /feeds\.a: expected 3 values for dims \[1, 3\], received 2 values/,
    ],
    [
      'an unknown fetch',
      (s) => s.run(good(), ['z']),
      SEModelError,
      /fetches: expected a non-empty array of output names \("y", "count"\), received \["z"\]/,
    ],
  ];
  it.each(cases)('%s', async (_label, call, type, message) => {
    const s = await session(twoInputModel());
    await expect(call(s)).rejects.toThrow(type);
    await expect(call(s)).rejects.toThrow(message);
    // The session still runs after refusing a feed.
    expect((await s.run(good())).y?.dims).toEqual([1, 3]);
  });

  it('an error onnxruntime still throws is an SEModelError with the runtime error as its cause', async () => {
    const s = await session(twoInputModel());
    // N = 2 and M = 3 are different symbols, so only the Add's broadcast can refuse them.
    const call = s.run({
      a: f32([1, 2, 3, 4, 5, 6], [2, 3]),
      b: f32(Array(9).fill(1), [3, 3]),
      c: i64([1, 2]),
    });
    const error = (await call.catch((e: unknown) => e)) as SEModelError;
    expect(error).toBeInstanceOf(SEModelError);
    expect(error.message).toMatch(
      /^run: onnxruntime \(node, \["cpu"\]\) failed to run the model: /,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('runArray checks x and its shape', async () => {
    const s = await session(buildSEModel(block, { batch: 1, height: 2, width: 2 }));
    await expect(s.runArray(new Float32Array(5), [1, 6, 2, 2])).rejects.toThrow(
      /x: expected 24 values for shape \[1, 6, 2, 2\], received 5 values/,
    );
    await expect(s.runArray([1, 2] as never, [1, 6, 2, 2])).rejects.toThrow(SEShapeError);
    await expect(s.runArray(new Float32Array(24), [1, 6, 2.5, 2] as never)).rejects.toThrow(
      SEShapeError,
    );
  });

  it('run after release is an SEModelError; release twice is fine', async () => {
    const s = await createModelSession(twoInputModel(), { runtime: 'node', ort });
    await s.release();
    await s.release();
    await expect(
      s.run({ a: f32([1, 2, 3], [1, 3]), b: f32([1, 2, 3], [1, 3]), c: i64([1]) }),
    ).rejects.toThrow(/session: run\(\) after release\(\)/);
  });
});

describe('createModelSession refuses what it must not load', () => {
  it('a model that points at external data files, before the runtime sees it', async () => {
    let created = 0;
    const recording = {
      InferenceSession: {
        create: async () => {
          created++;
          throw new Error('not reached');
        },
      },
      Tensor: ort.Tensor,
    } as unknown as OrtModuleLike;
    const model = externalData('/etc/hostname');
    const call = createModelSession(model, { runtime: 'node', ort: recording });
    await expect(call).rejects.toThrow(SEModelError);
    await expect(createModelSession(model, { runtime: 'node', ort: recording })).rejects.toThrow(
      /1 tensor\(s\) are stored as external data \("w"\)/,
    );
    expect(created).toBe(0);
  });

  it('options that are not an object, and an ort that is not onnxruntime', async () => {
    await expect(createModelSession(buildSEModel(block), null as never)).rejects.toThrow(
      /options: expected \{ runtime/,
    );
    await expect(
      createModelSession(buildSEModel(block), { runtime: 'node', ort: {} as never }),
    ).rejects.toThrow(/options\.ort: expected an onnxruntime module/);
    await expect(
      createSESession(block, { runtime: 'node', squeezeOp: 'pool' as never }),
    ).rejects.toThrow(SESpecError);
  });
});

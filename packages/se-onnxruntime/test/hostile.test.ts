// Regressions for the hostile models of issue 15: each once took exponential or quadratic time,
// exhausted the heap or the stack, or leaked an untyped error. Each must now give a typed error
// or a correct result (time and memory are measured by test/budget.test.ts, not asserted here).
import { SEShapeError } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  buildSEModel,
  createModelSession,
  extractSE,
  findResidualBranches,
  insertSE,
  insertSEResidual,
  MAX_FUNCTION_EXPANSION,
  MAX_SUBGRAPH_DEPTH,
  SEModelError,
} from '../src/index.js';
import { decodeModel } from '../src/proto/decode.js';
import { encodeModel, onnx } from '../src/proto/onnx.js';
import { fixtureBytes } from './support/fixtures.js';
import {
  addChain,
  concatChain,
  fanOutFunctions,
  nestedIfs,
  residualChain,
  selfCallingFunction,
} from './support/hostile.js';
import { randomBlock, randomFloats } from './support/random.js';

const c1 = randomBlock({ channels: 1, reducedChannels: 1 }, 3);

describe('channel inference through repeated inputs (Concat(t, t) × 40)', () => {
  const model = concatChain(40);

  it('findResidualBranches counts the channels once per tensor', () => {
    const [branch, ...rest] = findResidualBranches(model);
    expect(rest).toEqual([]);
    expect(branch).toMatchObject({ add: '/stage/Add', branch: 't40', shortcut: 'x' });
    expect(branch?.channels).toBe(2 ** 40);
  });

  it('insertSE and insertSEResidual check the block against 2^40 channels', () => {
    expect(() => insertSE(model, [{ after: 'concat39', block: c1 }])).toThrow(SEShapeError);
    expect(() => insertSEResidual(model, () => c1)).toThrow(/1099511627776 channels/);
    expect(
      Buffer.compare(
        insertSEResidual(model, () => undefined),
        model,
      ),
    ).toBe(0);
  });
});

describe('channel counts from malformed weights (found by test/fuzz.test.ts)', () => {
  it('a Conv weight whose first dim is -2, 0 or 2^53 + 2 gives no channel count', () => {
    const model = onnx.ModelProto.decode(fixtureBytes('resnet.onnx'));
    const conv = model.graph?.node?.find((n) => n.name === '/layer1/layer1.0/conv2/Conv');
    const weight = model.graph?.initializer?.find((t) => t.name === conv?.input?.[1]);
    for (const bad of [-2, 0, 2 ** 53 + 2]) {
      (weight as { dims: number[] }).dims = [bad, 16, 3, 3];
      const bytes = encodeModel(model);
      expect(findResidualBranches(bytes).map((r) => r.channels)).toEqual([32, 32]);
      expect(() => insertSE(bytes, [{ after: '/layer1/layer1.0/conv2/Conv', block: c1 }])).toThrow(
        new RegExp(`cannot tell the channel count.*${bad} is not a channel count`),
      );
    }
  });
});

describe('model-local functions that expand without bound', () => {
  it('a function that calls itself is an SEModelError naming it', () => {
    const call = () => extractSE(selfCallingFunction(6));
    expect(call).toThrow(SEModelError);
    expect(call).toThrow(/function "hostile::Again" calls itself/);
  });

  it(`more than ${MAX_FUNCTION_EXPANSION} expanded nodes is an SEModelError naming the function`, () => {
    const call = () => extractSE(fanOutFunctions(8, 10)); // 10^7 nodes
    expect(call).toThrow(SEModelError);
    expect(call).toThrow(/function "hostile::F1" expands to more than 100000 nodes/);
    // Within the limit the calls are expanded (and hold no SE block).
    expect(extractSE(fanOutFunctions(4, 10))).toEqual([]);
  });
});

describe('the residual search on long chains', () => {
  it('20,000 chained Adds: no residual branch (no Conv), found in linear time', () => {
    expect(findResidualBranches(addChain(20_000))).toEqual([]);
  });

  it('2,000 residual blocks: every branch found, an SE block on each, named after its module', () => {
    const model = residualChain(2_000);
    const branches = findResidualBranches(model);
    expect(branches).toHaveLength(2_000);
    expect(branches[1_999]).toMatchObject({
      add: '/b1999/Add',
      branch: 'c1999',
      shortcut: 't1999',
      channels: 1,
      branchConvs: 1,
      shortcutConvs: 0,
    });
    const found = extractSE(insertSEResidual(model, () => c1));
    expect(found).toHaveLength(2_000);
    expect(found[1_999]?.name).toBe('b1999.se');
  });
});

describe('subgraphs nested without bound (If inside If …)', () => {
  const block = c1;
  for (const depth of [2_000, 50_000]) {
    it(`${depth} levels: every operation is an SEModelError`, async () => {
      const model = nestedIfs(depth);
      const checks: [string, () => unknown][] = [
        ['insertSE', () => insertSE(model, [{ after: 'conv', block }])],
        ['insertSEResidual', () => insertSEResidual(model, () => block)],
        ['findResidualBranches', () => findResidualBranches(model)],
        ['extractSE', () => extractSE(model)],
      ];
      for (const [name, call] of checks) expect(call, name).toThrow(SEModelError);
      expect(() => insertSE(model, [{ after: 'conv', block }])).toThrow(
        new RegExp(`nested more than ${MAX_SUBGRAPH_DEPTH} levels deep|nested too deeply`),
      );
      await expect(createModelSession(model, { runtime: 'node' })).rejects.toThrow(SEModelError);
    });
  }

  it(`${MAX_SUBGRAPH_DEPTH} levels are edited, every level kept`, () => {
    const edited = insertSE(nestedIfs(MAX_SUBGRAPH_DEPTH), [{ after: 'conv', block }]);
    let depth = 0;
    let node = decodeModel(edited).graph?.node?.find((n) => n.opType === 'If');
    while (node) {
      depth++;
      node = node.attribute?.[0]?.g?.node?.[0];
    }
    expect(depth).toBe(MAX_SUBGRAPH_DEPTH);
    expect(extractSE(edited)).toHaveLength(1);
  });
});

describe('results never alias the caller’s bytes', () => {
  const resnet = fixtureBytes('resnet.onnx');
  const owns = (bytes: Uint8Array) =>
    bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;

  it('insertSEResidual with nothing to insert returns a copy of a Buffer, not a view', () => {
    const input = Buffer.from(resnet);
    const before = Uint8Array.from(input);
    const result = insertSEResidual(input, () => undefined);
    expect(Buffer.compare(result, before)).toBe(0);
    expect(owns(result)).toBe(true);
    result[0] = (result[0] as number) ^ 0xff;
    expect(Buffer.compare(input, before), 'the input changed').toBe(0);
  });

  it('every function returning model bytes returns bytes that own their buffer', () => {
    const block16 = randomBlock({ channels: 16, reducedChannels: 4 }, 8);
    const input = Buffer.from(resnet);
    const before = Uint8Array.from(input);
    const results = {
      buildSEModel: buildSEModel(c1),
      insertSE: insertSE(input, [{ after: '/conv1/Conv', block: block16 }]),
      insertSEResidual: insertSEResidual(input, (r) =>
        randomBlock({ channels: r.channels, reducedChannels: 2 }),
      ),
    };
    for (const [name, bytes] of Object.entries(results)) expect(owns(bytes), name).toBe(true);
    expect(Buffer.compare(input, before), 'the input changed').toBe(0);
  });

  it('extractSE and findResidualBranches leave a Buffer alone; extracted weights are copies', () => {
    const input = Buffer.from(fixtureBytes('se-resnet.onnx'));
    const before = Uint8Array.from(input);
    findResidualBranches(input);
    const found = extractSE(input);
    expect(found).toHaveLength(3);
    for (const { block } of found)
      for (const w of Object.values(block.weights)) expect(w?.buffer).not.toBe(input.buffer);
    expect(Buffer.compare(input, before), 'the input changed').toBe(0);
  });
});

describe('sessions check feeds before onnxruntime sees them', () => {
  // onnxruntime's own messages were "Got invalid dimensions for input: x …" and "Invalid rank …".
  const block = randomBlock({ channels: 6, reducedChannels: 2 }, 4);
  const fixed = buildSEModel(block, { batch: 1, height: 2, width: 2 });

  it('a fixed dim that differs is an SEShapeError naming the input and both shapes', async () => {
    const session = await createModelSession(fixed, { runtime: 'node' });
    const run = () => session.runArray(randomFloats(6 * 9, 1), [1, 6, 3, 3]);
    await expect(run()).rejects.toThrow(SEShapeError);
    await expect(run()).rejects.toThrow(
      /feeds\.x: expected \[1, 6, 2, 2\] \(dim 2 is fixed at 2\), received \[1, 6, 3, 3\]/,
    );
    await session.release();
  });

  it('a rank that differs is an SEShapeError', async () => {
    const session = await createModelSession(fixed, { runtime: 'node' });
    const x = new session.ort.Tensor('float32', randomFloats(24, 2), [6, 2, 2]);
    await expect(session.run({ x })).rejects.toThrow(SEShapeError);
    await expect(session.run({ x })).rejects.toThrow(
      /feeds\.x: expected rank 4 \[1, 6, 2, 2\], received rank 3 \[6, 2, 2\]/,
    );
    await session.release();
  });
});

import { body, F32, F64, I32, name, op, section, uleb, V128, vector } from './encoding.js';

// A small WebAssembly SIMD module of our own for the wasm backend's fused kernel. It imports
// the backend's memory, so it reads x and writes y where TF.js keeps them (no copies). Its
// functions, all on byte addresses:
//   sum_nchw(x, planes, plane, out)          out[q] (f64) = Σ of plane q, eight f64 partial sums
//   scale_nchw(x, e, y, planes, plane)       y = x · e[q] (f32) per plane
//   sum_nhwc(x, batch, plane, C, out)        out[n, c] (f64, zeroed by the caller) += rows of C
//   scale_nhwc(x, e, y, batch, plane, C)     y = x · e[n, c] (f32)
//   scale_add[_relu]_nchw(x, e, s, y, planes, plane) and
//   scale_add[_relu]_nhwc(x, e, s, y, batch, plane, C)
//                                            y = [max(]x · e + s[, 0)] (f32; SE-ResNet's residual
//                                            unit in the scale pass, the Caffe release's Axpy)
// The pooling converts each pair of floats to f64 before adding (f64x2.promote_low_f32x4),
// so the mean is as accurate as the JS path's, and NaN and ±Infinity propagate as IEEE adds
// do (the float32 overflow rule is applied in JS). The max and the excitation stay in JS:
// se-core's own float64 logits of every kind (kernels/js/excite.ts).
// Written as bytes by hand (encoding.ts) because the package has no wasm toolchain: the
// module is generated when the kernel first runs and validated by the engine.

/** `while (ptr < limit) { code }` as block/loop/br_if. */
function whileBelow(ptr: number, limit: number, code: number[][]): number[][] {
  return [
    op.block,
    op.loop,
    op.get(ptr),
    op.get(limit),
    op.i32GeU,
    op.brIf(1),
    ...code,
    op.br(0),
    op.end,
    op.end,
  ];
}

const addTo = (local: number, amount: number) => [
  ...op.get(local),
  ...op.i32(amount),
  ...op.i32Add,
  ...op.set(local),
];
const addLocal = (local: number, other: number) => [
  ...op.get(local),
  ...op.get(other),
  ...op.i32Add,
  ...op.set(local),
];
/** local = base + (count & mask) · bytes */
const pointerAfter = (local: number, base: number, count: number, mask: number, shift: number) => [
  ...op.get(base),
  ...op.get(count),
  ...(mask === -1 ? [] : [...op.i32(mask), ...op.i32And]),
  ...op.i32(shift),
  ...op.i32Shl,
  ...op.i32Add,
  ...op.set(local),
];

function sumNCHW(): number[] {
  const [x, planes, plane, out] = [0, 1, 2, 3];
  const [q, end8, end, acc0, acc1, acc2, acc3, tail, p, o] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  // Four f64x2 partial sums, eight floats a step: four independent chains of adds hide the
  // add's latency (two chains left the loop waiting on it: 0.17 ms against 0.13 at 56×56×256).
  const accumulate = (acc: number, offset: number) => [
    [...op.get(acc), ...op.get(p), ...op.v128Load64Zero(offset), ...op.f64x2PromoteLowF32x4],
    [...op.f64x2Add, ...op.set(acc)],
  ];
  const zeroed = (acc: number) => [...op.f64Zero, ...op.f64x2Splat, ...op.set(acc)];
  const sumOf = (a: number, b: number) => [...op.get(a), ...op.get(b), ...op.f64x2Add];
  return body(
    [I32, I32, I32, V128, V128, V128, V128, F64, I32, I32],
    [
      op.get(x),
      op.set(p),
      op.get(out),
      op.set(o),
      ...whileBelow(q, planes, [
        pointerAfter(end, p, plane, -1, 2),
        pointerAfter(end8, p, plane, -8, 2),
        zeroed(acc0),
        zeroed(acc1),
        zeroed(acc2),
        zeroed(acc3),
        [...op.f64Zero, ...op.set(tail)],
        ...whileBelow(p, end8, [
          ...accumulate(acc0, 0),
          ...accumulate(acc1, 8),
          ...accumulate(acc2, 16),
          ...accumulate(acc3, 24),
          addTo(p, 32),
        ]),
        ...whileBelow(p, end, [
          [...op.get(tail), ...op.get(p), ...op.f32Load(), ...op.f64PromoteF32, ...op.f64Add],
          op.set(tail),
          addTo(p, 4),
        ]),
        op.get(o),
        [...sumOf(acc0, acc1), ...sumOf(acc2, acc3), ...op.f64x2Add, ...op.set(acc0)],
        [...op.get(acc0), ...op.f64x2ExtractLane(0), ...op.get(acc0), ...op.f64x2ExtractLane(1)],
        [...op.f64Add, ...op.get(tail), ...op.f64Add, ...op.f64Store()],
        addTo(o, 8),
        addTo(q, 1),
      ]),
    ],
  );
}

/** What a scale function does after x · e (kernels/attrs.ts): add the shortcut, then ReLU. */
type Residual = 'none' | 'identity' | 'relu';

/**
 * The rest of one element step, the product x · e on the stack: + shortcut (read at `ps`),
 * then the ReLU as TF.js' Relu computes it: NaN stays NaN, −0 becomes +0. The vector form is
 * pmax(v, 0) + 0 (pmax(v, 0) = v < 0 ? 0 : v keeps NaN, and + 0 turns −0 into +0): two
 * instructions, where f32x4.max's NaN and signed-zero rules cost V8 about eight on x86 and
 * made the residual pass 1.5× slower (measured at 56×56×256). The scalar tail keeps f32.max.
 */
function finish(residual: Residual, ps: number, vector: boolean): number[][] {
  const steps: number[][] = [];
  if (residual !== 'none') {
    steps.push(
      vector
        ? [...op.get(ps), ...op.v128Load(), ...op.f32x4Add]
        : [...op.get(ps), ...op.f32Load(), ...op.f32Add],
    );
  }
  if (residual === 'relu')
    steps.push(
      vector
        ? [...op.v128Zero, ...op.f32x4Pmax, ...op.v128Zero, ...op.f32x4Add]
        : [...op.f32Zero, ...op.f32Max],
    );
  return steps;
}

/** Advances the shortcut pointer with x's, when there is one. */
const advance = (residual: Residual, ps: number, bytes: number) =>
  residual === 'none' ? [] : [addTo(ps, bytes)];

type Indices<N extends number, T extends number[] = []> = T['length'] extends N
  ? T
  : Indices<N, [...T, number]>;

/** `count` consecutive local indices from `first`: a function's locals follow its parameters. */
function localsFrom<N extends number>(first: number, count: N): Indices<N> {
  return Array.from({ length: count }, (_, i) => first + i) as Indices<N>;
}

function scaleNCHW(residual: Residual): number[] {
  // Parameters x, e, [s], y, planes, plane: the shortcut only in the residual functions.
  const add = residual === 'none' ? 0 : 1;
  const [x, e, s, y, planes, plane] = [0, 1, 2, 2 + add, 3 + add, 4 + add];
  const l = 5 + add; // the first local
  const [q, end4, end, k, ks, px, py, pe, ps] = localsFrom(l, 9);
  return body(
    [I32, I32, I32, V128, F32, I32, I32, I32, I32],
    [
      [...op.get(x), ...op.set(px), ...op.get(y), ...op.set(py), ...op.get(e), ...op.set(pe)],
      add ? [...op.get(s), ...op.set(ps)] : [],
      ...whileBelow(q, planes, [
        [...op.get(pe), ...op.f32Load(), ...op.set(ks)],
        [...op.get(ks), ...op.f32x4Splat, ...op.set(k)],
        pointerAfter(end, px, plane, -1, 2),
        pointerAfter(end4, px, plane, -4, 2),
        ...whileBelow(px, end4, [
          [...op.get(py), ...op.get(px), ...op.v128Load(), ...op.get(k), ...op.f32x4Mul],
          ...finish(residual, ps, true),
          op.v128Store(),
          addTo(px, 16),
          addTo(py, 16),
          ...advance(residual, ps, 16),
        ]),
        ...whileBelow(px, end, [
          [...op.get(py), ...op.get(px), ...op.f32Load(), ...op.get(ks), ...op.f32Mul],
          ...finish(residual, ps, false),
          op.f32Store(),
          addTo(px, 4),
          addTo(py, 4),
          ...advance(residual, ps, 4),
        ]),
        addTo(pe, 4),
        addTo(q, 1),
      ]),
    ],
  );
}

function sumNHWC(): number[] {
  const [x, batch, plane, channels, out] = [0, 1, 2, 3, 4];
  const [n, p, px, po, endC2, endC, row, rowBytes] = [5, 6, 7, 8, 9, 10, 11, 12];
  return body(
    [I32, I32, I32, I32, I32, I32, I32, I32],
    [
      [...op.get(x), ...op.set(px), ...op.get(out), ...op.set(row)],
      [...op.get(channels), ...op.i32(3), ...op.i32Shl, ...op.set(rowBytes)],
      ...whileBelow(n, batch, [
        [...op.i32(0), ...op.set(p)],
        ...whileBelow(p, plane, [
          [...op.get(row), ...op.set(po)],
          pointerAfter(endC, px, channels, -1, 2),
          pointerAfter(endC2, px, channels, -2, 2),
          ...whileBelow(px, endC2, [
            [...op.get(po), ...op.get(po), ...op.v128Load()],
            [...op.get(px), ...op.v128Load64Zero(0), ...op.f64x2PromoteLowF32x4, ...op.f64x2Add],
            op.v128Store(),
            addTo(px, 8),
            addTo(po, 16),
          ]),
          ...whileBelow(px, endC, [
            [...op.get(po), ...op.get(po), ...op.f64Load()],
            [...op.get(px), ...op.f32Load(), ...op.f64PromoteF32, ...op.f64Add, ...op.f64Store()],
            addTo(px, 4),
            addTo(po, 8),
          ]),
          addTo(p, 1),
        ]),
        addLocal(row, rowBytes),
        addTo(n, 1),
      ]),
    ],
  );
}

function scaleNHWC(residual: Residual): number[] {
  // Parameters x, e, [s], y, batch, plane, C.
  const add = residual === 'none' ? 0 : 1;
  const [x, e, s, y, batch, plane, channels] = [0, 1, 2, 2 + add, 3 + add, 4 + add, 5 + add];
  const l = 6 + add; // the first local
  const [n, p, px, py, pe, endC4, endC, eRow, rowBytes, ps] = localsFrom(l, 10);
  return body(
    [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    [
      [...op.get(x), ...op.set(px), ...op.get(y), ...op.set(py), ...op.get(e), ...op.set(eRow)],
      add ? [...op.get(s), ...op.set(ps)] : [],
      [...op.get(channels), ...op.i32(2), ...op.i32Shl, ...op.set(rowBytes)],
      ...whileBelow(n, batch, [
        [...op.i32(0), ...op.set(p)],
        ...whileBelow(p, plane, [
          [...op.get(eRow), ...op.set(pe)],
          pointerAfter(endC, px, channels, -1, 2),
          pointerAfter(endC4, px, channels, -4, 2),
          ...whileBelow(px, endC4, [
            [...op.get(py), ...op.get(px), ...op.v128Load(), ...op.get(pe), ...op.v128Load()],
            op.f32x4Mul,
            ...finish(residual, ps, true),
            op.v128Store(),
            addTo(px, 16),
            addTo(py, 16),
            addTo(pe, 16),
            ...advance(residual, ps, 16),
          ]),
          ...whileBelow(px, endC, [
            [...op.get(py), ...op.get(px), ...op.f32Load(), ...op.get(pe), ...op.f32Load()],
            op.f32Mul,
            ...finish(residual, ps, false),
            op.f32Store(),
            addTo(px, 4),
            addTo(py, 4),
            addTo(pe, 4),
            ...advance(residual, ps, 4),
          ]),
          addTo(p, 1),
        ]),
        addLocal(eRow, rowBytes),
        addTo(n, 1),
      ]),
    ],
  );
}

/** Every exported function: its name, parameter count (all i32 byte addresses or counts) and body. */
const FUNCTIONS: readonly (readonly [string, number, () => number[]])[] = [
  ['sum_nchw', 4, sumNCHW],
  ['scale_nchw', 5, () => scaleNCHW('none')],
  ['sum_nhwc', 5, sumNHWC],
  ['scale_nhwc', 6, () => scaleNHWC('none')],
  ['scale_add_nchw', 6, () => scaleNCHW('identity')],
  ['scale_add_relu_nchw', 6, () => scaleNCHW('relu')],
  ['scale_add_nhwc', 7, () => scaleNHWC('identity')],
  ['scale_add_relu_nhwc', 7, () => scaleNHWC('relu')],
];

const params = (count: number) => [0x60, ...vector(Array.from({ length: count }, () => [I32])), 0];

/**
 * The module's bytes. `shared` must match the imported memory (a threaded build's memory is
 * a SharedArrayBuffer); a shared import needs a maximum, and 65536 pages (4 GiB) admits any.
 */
export function seSimdModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  // One function type per parameter count, in order of first use.
  const counts = [...new Set(FUNCTIONS.map(([, count]) => count))];
  const types = section(1, vector(counts.map(params)));
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const functions = section(3, vector(FUNCTIONS.map(([, count]) => uleb(counts.indexOf(count)))));
  const exports = section(7, vector(FUNCTIONS.map(([n], i) => [...name(n), 0x00, ...uleb(i)])));
  const code = section(10, vector(FUNCTIONS.map(([, , generate]) => generate())));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}

/** The exported functions (addresses in bytes). */
export interface SESimdExports {
  sum_nchw(x: number, planes: number, plane: number, out: number): void;
  scale_nchw(x: number, e: number, y: number, planes: number, plane: number): void;
  sum_nhwc(x: number, batch: number, plane: number, channels: number, out: number): void;
  scale_nhwc(x: number, e: number, y: number, batch: number, plane: number, channels: number): void;
  /** y = x · e[q] + s per plane. */
  scale_add_nchw(x: number, e: number, s: number, y: number, planes: number, plane: number): void;
  /** y = max(x · e[q] + s, 0) per plane. */
  scale_add_relu_nchw(
    x: number,
    e: number,
    s: number,
    y: number,
    planes: number,
    plane: number,
  ): void;
  scale_add_nhwc(
    x: number,
    e: number,
    s: number,
    y: number,
    batch: number,
    plane: number,
    channels: number,
  ): void;
  scale_add_relu_nhwc(
    x: number,
    e: number,
    s: number,
    y: number,
    batch: number,
    plane: number,
    channels: number,
  ): void;
}

const instances = new WeakMap<WebAssembly.Memory, SESimdExports | null>();

/**
 * The module instantiated on `memory` (once per memory), or null where the engine has no
 * wasm SIMD: the caller then uses the JS loops on the same memory.
 */
export function seSimdOn(memory: WebAssembly.Memory): SESimdExports | null {
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let result: SESimdExports | null = null;
  try {
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = seSimdModuleBytes(shared);
    if (WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        env: { memory },
      });
      result = instance.exports as unknown as SESimdExports;
    }
  } catch {
    result = null;
  }
  instances.set(memory, result);
  return result;
}

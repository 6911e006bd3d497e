// Just enough of the WebAssembly binary format to write a few small functions by hand:
// LEB128 integers, sections, and the opcodes those functions use (core spec §5, SIMD
// proposal opcode table). Each opcode is named as in the text format.

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export const name = (text: string) => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};

export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

const simd = (opcode: number) => [0xfd, ...uleb(opcode)];
/** Alignment hint 0 (any address is valid; the hint never changes the result). */
const memarg = (offset = 0) => [0x00, ...uleb(offset)];

/** Instructions, each returning its bytes. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  f32Load: (offset = 0) => [0x2a, 0x02, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 0x03, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 0x02, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 0x03, ...uleb(offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Max: [0x97],
  f32Zero: [0x43, 0, 0, 0, 0],
  f64Add: [0xa0],
  f64PromoteF32: [0xbb],
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...memarg(offset)],
  v128Load64Zero: (offset = 0) => [...simd(0x5d), ...memarg(offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  f32x4Splat: simd(0x13),
  f64x2Splat: simd(0x14),
  f64x2ExtractLane: (lane: number) => [...simd(0x21), lane],
  f64x2PromoteLowF32x4: simd(0x5f),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Max: simd(0xe9),
  f32x4Pmax: simd(0xeb),
  f64x2Add: simd(0xf0),
};

/** A function body: local declarations (one entry per local, in order) and code. */
export function body(locals: number[], code: number[][]): number[] {
  const decls = locals.map((type) => [1, type]);
  const bytes = [...vector(decls), ...code.flat(), ...op.end];
  return [...uleb(bytes.length), ...bytes];
}

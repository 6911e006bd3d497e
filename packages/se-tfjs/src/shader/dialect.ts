// One shader source for the WebGL (GLSL ES 3) and WebGPU (WGSL) kernels. The expressions are
// the same in both languages (arithmetic, comparisons, abs/min/max/exp/clamp, if and for with
// braces, `+=`, `coords[i]`); declarations, function headers and selects differ, so those are
// the dialect. Generated code uses only what both backends' program prefixes provide:
// getX(…)/get<Name>(…) input readers and `isnan` (a bit test in both, which a compiler
// assuming IEEE-free arithmetic cannot fold away).

/** Scalar types a generated shader uses. */
export type ShaderType = 'float' | 'int' | 'bool';

export interface ShaderDialect {
  readonly backend: 'webgl' | 'webgpu';
  /** Declares an immutable local of `type`. */
  local(name: string, expression: string, type?: ShaderType): string;
  /** Declares a mutable local of `type`. */
  variable(name: string, expression: string, type?: ShaderType): string;
  /** `ifTrue` where `condition` holds, else `ifFalse`. */
  select(condition: string, ifTrue: string, ifFalse: string): string;
  /** A function of float/int parameters returning `returns`. */
  func(
    name: string,
    params: readonly (readonly [string, ShaderType])[],
    returns: ShaderType,
    body: string,
  ): string;
  /** `for (counter = from; counter < to; counter += step) { body }` over ints. */
  loop(counter: string, from: string, to: string, body: string, step?: number): string;
  /** Whether `v` is neither NaN nor ±Infinity. */
  finite(v: string): string;
}

const GLSL_TYPES: Record<ShaderType, string> = { float: 'float', int: 'int', bool: 'bool' };
const WGSL_TYPES: Record<ShaderType, string> = { float: 'f32', int: 'i32', bool: 'bool' };

const increment = (counter: string, step: number) =>
  step === 1 ? `${counter}++` : `${counter} += ${step}`;

export const GLSL: ShaderDialect = {
  backend: 'webgl',
  local: (name, expression, type = 'float') => `${GLSL_TYPES[type]} ${name} = ${expression};`,
  variable: (name, expression, type = 'float') => `${GLSL_TYPES[type]} ${name} = ${expression};`,
  select: (condition, ifTrue, ifFalse) => `((${condition}) ? (${ifTrue}) : (${ifFalse}))`,
  func: (name, params, returns, body) =>
    `${GLSL_TYPES[returns]} ${name}(${params.map(([p, t]) => `${GLSL_TYPES[t]} ${p}`).join(', ')}) {\n${body}\n}`,
  loop: (counter, from, to, body, step = 1) =>
    `for (int ${counter} = ${from}; ${counter} < ${to}; ${increment(counter, step)}) {\n${body}\n}`,
  // The largest float32: ±Infinity and NaN (whose comparisons are false) fail the test.
  finite: (v) => `(abs(${v}) <= 3.4028234663852886e38)`,
};

export const WGSL: ShaderDialect = {
  backend: 'webgpu',
  local: (name, expression) => `let ${name} = ${expression};`,
  variable: (name, expression, type = 'float') =>
    `var ${name} : ${WGSL_TYPES[type]} = ${expression};`,
  select: (condition, ifTrue, ifFalse) => `select(${ifFalse}, ${ifTrue}, ${condition})`,
  func: (name, params, returns, body) =>
    `fn ${name}(${params.map(([p, t]) => `${p} : ${WGSL_TYPES[t]}`).join(', ')}) -> ${WGSL_TYPES[returns]} {\n${body}\n}`,
  loop: (counter, from, to, body, step = 1) =>
    `for (var ${counter} = ${from}; ${counter} < ${to}; ${increment(counter, step)}) {\n${body}\n}`,
  // WGSL lets an implementation assume no Infinity or NaN in float arithmetic, so the exponent
  // bits are tested as an integer.
  finite: (v) => `((bitcast<u32>(${v}) & 0x7f800000u) != 0x7f800000u)`,
};

/** A JS number as a float literal of either language (always with a decimal point). */
export function shaderFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`shader constant ${value} is not finite`);
  return value.toExponential(9);
}

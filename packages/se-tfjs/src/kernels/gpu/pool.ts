import type { Layout, SqueezeMode } from '@seblock/se-core';
import { nanMax, sumAdd, sumDeclare, sumResult } from '../../shader/accumulate.js';
import { type ShaderDialect, shaderFloat } from '../../shader/dialect.js';
import type { PlaneDims } from '../js/pool.js';
import type { ElementProgram } from './program.js';

// The squeeze on the GPU, in two stages: (1) per chunk of POOL_CHUNK pixels, its sum or its
// max, [N, C, chunks], so N·C·chunks invocations share the pass over x (one per channel would
// leave a GPU mostly idle on large planes); (2) the descriptor rows [D·N, C] from the chunks
// (D = 2 for avg+max: the avg rows, then the max rows). Sums are compensated in both stages
// (shader/accumulate.ts), maxima propagate NaN, as PyTorch's do.

/** Pixels per invocation of the first stage. */
export const POOL_CHUNK = 128;

export interface PoolShape {
  readonly dims: PlaneDims;
  readonly layout: Layout;
  /** W, to turn a pixel index p = h·W + w back into (h, w). */
  readonly width: number;
}

export function chunksOf(plane: number): number {
  return Math.ceil(plane / POOL_CHUNK);
}

/** readX(n, c, p): x at sample n, channel c, pixel p, in either layout. */
function readX(shape: PoolShape, d: ShaderDialect): string {
  const read = shape.layout === 'NCHW' ? 'getX(n, c, h, w)' : 'getX(n, h, w, c)';
  return d.func(
    'readX',
    [
      ['n', 'int'],
      ['c', 'int'],
      ['p', 'int'],
    ],
    'float',
    `${d.local('h', `p / ${shape.width}`, 'int')}
    ${d.local('w', `p - h * ${shape.width}`, 'int')}
    return ${read};`,
  );
}

/** Stage 1: the sum (compensated) or the max of each chunk of a plane. */
export function chunkProgram(
  shape: PoolShape,
  pool: 'sum' | 'max',
  d: ShaderDialect,
): ElementProgram {
  const { batch, channels, plane } = shape.dims;
  // Every chunk holds at least one pixel: the max starts there (-3.4e38 would be wrong for a
  // plane of -Infinity).
  const step =
    pool === 'sum'
      ? sumAdd('acc', 'readX(n, c, p)', d)
      : `${d.local('v', 'readX(n, c, p)')} m = ${nanMax('v', 'm', d)};`;
  const body = `${d.local('n', 'coords[0]', 'int')}
    ${d.local('c', 'coords[1]', 'int')}
    ${d.local('start', `coords[2] * ${POOL_CHUNK}`, 'int')}
    ${pool === 'sum' ? sumDeclare('acc', d) : d.variable('m', 'readX(n, c, start)')}
    ${d.loop('k', pool === 'sum' ? '0' : '1', String(POOL_CHUNK), `${d.local('p', 'start + k', 'int')} if (p < ${plane}) { ${step} }`)}`;
  return {
    key: `pool_${pool}`,
    inputs: ['x'],
    outputShape: [batch, channels, chunksOf(plane)],
    functions: readX(shape, d),
    body,
    value: pool === 'sum' ? sumResult('acc', d) : 'm',
  };
}

/** Stage 2: the descriptor rows from the chunks' sums (input `sums`) and maxima (`maxima`). */
export function descriptorProgram(
  shape: PoolShape,
  mode: SqueezeMode,
  d: ShaderDialect,
): ElementProgram {
  const { batch, channels, plane } = shape.dims;
  const chunks = chunksOf(plane);
  const avg = mode !== 'max';
  const max = mode !== 'avg';
  const depth = mode === 'avg+max' ? 2 : 1;
  const mean = `(${sumResult('s', d)} / ${shaderFloat(plane)})`;
  const value =
    mode === 'avg'
      ? mean
      : mode === 'max'
        ? 'm'
        : mode === 'avgmax'
          ? `0.5 * ${mean} + 0.5 * m`
          : d.select(`coords[0] >= ${batch}`, 'm', mean);
  const body = `${d.local('n', depth === 2 ? d.select(`coords[0] >= ${batch}`, `coords[0] - ${batch}`, 'coords[0]') : 'coords[0]', 'int')}
    ${d.local('c', 'coords[1]', 'int')}
    ${avg ? `${sumDeclare('s', d)} ${d.loop('k', '0', String(chunks), sumAdd('s', 'getSums(n, c, k)', d))}` : ''}
    ${max ? `${d.variable('m', 'getMaxima(n, c, 0)')} ${d.loop('k', '1', String(chunks), `${d.local('v', 'getMaxima(n, c, k)')} m = ${nanMax('v', 'm', d)};`)}` : ''}`;
  return {
    key: `descriptors_${mode}`,
    inputs: [...(avg ? ['sums'] : []), ...(max ? ['maxima'] : [])],
    outputShape: [depth * batch, channels],
    functions: '',
    body,
    value,
  };
}

import { describeShape, describeValue, SEWeightFormatError } from '../errors/index.js';
import { parseSESpec } from '../spec/validate.js';
import { blockTensors, readBlockWeights, rejectUnclaimed, specFromMetadata, specToMetadata } from '../weights/block-tensors.js';
import type { FloatArray } from '../weights/dtypes.js';
import { decodeSafetensors, encodeSafetensors } from '../weights/safetensors.js';
import { FORMAT_NAME, METADATA, type SEBlock, type SEBlockInput } from '../weights/types.js';

/** The description stored in `__metadata__["se.case"]`. */
export interface GoldenCaseInfo {
  readonly name: string;
  readonly description?: string;
  /** What produced `y` (e.g. "torch 1.13.0 float64"). */
  readonly source?: string;
  /**
   * PyTorch's own float32 error on this case: its float32 forward against its
   * float64 one, in float32 ULPs of max(|x|, |y|) (the unit of `accuracyOf`),
   * measured by the generator. Data for tolerances; absent in hand-written cases.
   */
  readonly torchFloat32Ulps?: number;
}

/**
 * A golden case: one SE block, an input `x` [N, C, H, W] (float32) and the
 * expected output `y` [N, C, H, W] (float32 or float64, usually float64 from an
 * independent implementation). `x` and `y` may hold NaN and ±Infinity (cases
 * that pin down NaN and overflow); weights are always finite. See
 * `golden/README.md` for the file format.
 */
export interface GoldenCase {
  readonly info: GoldenCaseInfo;
  readonly block: SEBlock;
  readonly shape: readonly [number, number, number, number];
  readonly x: Float32Array;
  readonly y: FloatArray;
}

export const GOLDEN_X = 'x';
export const GOLDEN_Y = 'y';

const INFO_SHAPE = '{ "name": string, "description"?: string, "source"?: string, "torchFloat32Ulps"?: number >= 0 }';

function parseInfo(text: string | undefined): GoldenCaseInfo {
  const field = `__metadata__.${METADATA.goldenCase}`;
  if (text === undefined) return { name: 'unnamed' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SEWeightFormatError(
      field,
      `expected JSON: ${(error as Error).message.slice(0, 120)}`,
    );
  }
  const { name, description, source, torchFloat32Ulps } = (json ?? {}) as Record<string, unknown>;
  const ulpsOk =
    torchFloat32Ulps === undefined ||
    (typeof torchFloat32Ulps === 'number' && Number.isFinite(torchFloat32Ulps) && torchFloat32Ulps >= 0);
  if (typeof name !== 'string' || !ulpsOk) {
    throw new SEWeightFormatError(field, `expected ${INFO_SHAPE}, received ${describeValue(json)}`);
  }
  return {
    name,
    ...(typeof description === 'string' ? { description } : {}),
    ...(typeof source === 'string' ? { source } : {}),
    ...(typeof torchFloat32Ulps === 'number' ? { torchFloat32Ulps } : {}),
  };
}

/** Reads a golden case file (strict, like {@link decodeSEWeights}). */
export function decodeGoldenCase(bytes: Uint8Array): GoldenCase {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const spec = specFromMetadata(metadata[METADATA.spec], `__metadata__.${METADATA.spec}`);
  const consumed = new Set<string>();
  const weights = readBlockWeights(tensors, '', spec, consumed);
  const x = tensors.get(GOLDEN_X);
  const y = tensors.get(GOLDEN_Y);
  if (!x) throw new SEWeightFormatError(`tensor ${GOLDEN_X}`, 'missing: a golden case needs the input x [N, C, H, W]');
  if (!y) throw new SEWeightFormatError(`tensor ${GOLDEN_Y}`, 'missing: a golden case needs the expected output y [N, C, H, W]');
  if (x.dtype !== 'F32') throw new SEWeightFormatError(`tensor ${GOLDEN_X}.dtype`, `expected F32, received ${x.dtype}`);
  if (y.dtype !== 'F32' && y.dtype !== 'F64') throw new SEWeightFormatError(`tensor ${GOLDEN_Y}.dtype`, `expected F32 or F64, received ${y.dtype}`);
  if (x.shape.length !== 4 || x.shape[1] !== spec.channels || x.shape.some((d) => d < 1)) {
    throw new SEWeightFormatError(`tensor ${GOLDEN_X}.shape`, `expected [N, ${spec.channels}, H, W] (NCHW), received ${describeShape(x.shape)}`);
  }
  if (y.shape.length !== 4 || y.shape.some((d, i) => d !== x.shape[i])) {
    throw new SEWeightFormatError(`tensor ${GOLDEN_Y}.shape`, `expected ${describeShape(x.shape)} like x, received ${describeShape(y.shape)}`);
  }
  // x and y may hold NaN and ±Infinity: that is what the NaN and overflow cases test.
  consumed.add(GOLDEN_X);
  consumed.add(GOLDEN_Y);
  rejectUnclaimed(tensors, consumed);
  return {
    info: parseInfo(metadata[METADATA.goldenCase]),
    block: { spec, weights },
    shape: x.shape as [number, number, number, number],
    x: x.values as Float32Array,
    y: y.values,
  };
}

/** Writes a golden case; `y` is stored as F64 when it is a Float64Array, else F32. */
export function encodeGoldenCase(goldenCase: Omit<GoldenCase, 'shape' | 'block'> & { readonly block: SEBlockInput; readonly shape: readonly number[] }): Uint8Array {
  const spec = parseSESpec(goldenCase.block.spec);
  const tensors = {
    ...blockTensors({ spec, weights: goldenCase.block.weights }, '', 'F32'),
    [GOLDEN_X]: { shape: goldenCase.shape, values: goldenCase.x, dtype: 'F32' as const },
    [GOLDEN_Y]: { shape: goldenCase.shape, values: goldenCase.y, dtype: goldenCase.y instanceof Float64Array ? ('F64' as const) : ('F32' as const) },
  };
  return encodeSafetensors(tensors, {
    [METADATA.format]: FORMAT_NAME,
    [METADATA.spec]: specToMetadata(spec),
    [METADATA.goldenCase]: JSON.stringify(goldenCase.info),
  });
}

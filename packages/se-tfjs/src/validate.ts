import {
  activationDims,
  describeShape,
  LAYOUTS,
  type Layout,
  SEShapeError,
  type SESpec,
} from '@seblock/se-core';
import { Tensor } from '@tensorflow/tfjs-core';

// Every check here runs on shapes and dtypes only, so a bad call fails with a se-core error
// before TF.js runs (or uploads) anything.

/** The layout option, checked: 'NHWC' (TF.js' own convention) unless told otherwise. */
export function checkLayout(layout: unknown, field = 'options.layout'): Layout {
  if (layout === undefined) return 'NHWC';
  if (!(LAYOUTS as readonly unknown[]).includes(layout)) {
    throw new SEShapeError(field, '"NHWC" or "NCHW"', String(layout));
  }
  return layout as Layout;
}

/**
 * A disposed tensor still has its shape, but any kernel given it fails deep inside TF.js
 * (`Cannot read properties of undefined (reading 'backend')` on cpu and wasm): say so first.
 */
function checkLive(t: Tensor, field: string): void {
  if (t.isDisposed) {
    throw new SEShapeError(
      field,
      `a live tf.Tensor (this one, ${describeShape(t.shape)}, was disposed)`,
      'a disposed tensor',
    );
  }
}

/** Checks that `x` is a live float32 rank-4 tensor whose channel axis (per `layout`) holds `spec.channels`. */
export function checkActivation(x: Tensor, spec: SESpec, layout: Layout, field = 'x'): void {
  if (!(x instanceof Tensor)) {
    throw new SEShapeError(field, 'a tf.Tensor4D', x === null ? 'null' : typeof x);
  }
  checkLive(x, field);
  if (x.dtype !== 'float32') {
    throw new SEShapeError(
      `${field}.dtype`,
      `float32 (cast with tf.cast(x, 'float32'); shape ${describeShape(x.shape)})`,
      x.dtype,
    );
  }
  activationDims(x.shape, layout, spec.channels, field);
}

/**
 * Checks the shortcut of a residual unit: a live float32 tensor of exactly x's shape (no
 * broadcasting: the fused kernel reads it element by element alongside x).
 */
export function checkShortcut(shortcut: unknown, x: Tensor, field = 'shortcut'): void {
  if (!(shortcut instanceof Tensor)) {
    throw new SEShapeError(
      field,
      `a tf.Tensor4D shaped like x (${describeShape(x.shape)})`,
      shortcut === null ? 'null' : typeof shortcut,
    );
  }
  checkLive(shortcut, field);
  if (shortcut.dtype !== 'float32') {
    throw new SEShapeError(`${field}.dtype`, 'float32', shortcut.dtype);
  }
  const same =
    shortcut.rank === x.rank && shortcut.shape.every((d: number, i: number) => d === x.shape[i]);
  if (!same) {
    throw new SEShapeError(
      `${field}.shape`,
      `x's shape ${describeShape(x.shape)} (the residual adds element by element)`,
      describeShape(shortcut.shape),
    );
  }
}

/**
 * Checks a weight tensor: a live float32 tf.Tensor of shape `expected`. `swappedHint` is added
 * when a matrix has the transposed shape (e.g. the other layout's key).
 */
export function checkTensor(
  value: unknown,
  expected: readonly number[],
  field: string,
  swappedHint: string,
): void {
  if (!(value instanceof Tensor)) {
    throw new SEShapeError(
      field,
      `a float32 tf.Tensor of shape ${describeShape(expected)}`,
      value === null ? 'null' : typeof value,
    );
  }
  checkLive(value, field);
  if (value.dtype !== 'float32') {
    throw new SEShapeError(`${field}.dtype`, 'float32', value.dtype);
  }
  const same =
    value.rank === expected.length &&
    value.shape.every((d: number, i: number) => d === expected[i]);
  if (!same) {
    const reversed = [...expected].reverse();
    const isSwapped =
      swappedHint !== '' &&
      expected.length === 2 &&
      value.rank === 2 &&
      value.shape[0] === reversed[0] &&
      value.shape[1] === reversed[1];
    throw new SEShapeError(
      `${field}.shape`,
      `${describeShape(expected)} for this spec${isSwapped ? ` (${swappedHint})` : ''}`,
      describeShape(value.shape),
    );
  }
}

/**
 * The same check for a symbolic shape, where the batch (and maybe H, W) are `null`.
 * se-core's activationDims needs concrete dims, so unknown ones are checked here.
 */
export function checkSymbolicShape(
  shape: readonly (number | null)[],
  layout: Layout,
  channels: number | undefined,
  field = 'inputShape',
): number {
  const text = `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
  if (shape.length !== 4) {
    throw new SEShapeError(`${field}`, `rank 4 ${layout} (batch, 2 spatial axes, channels)`, text);
  }
  const channelAxis = layout === 'NCHW' ? 1 : 3;
  const otherAxis = layout === 'NCHW' ? 3 : 1;
  const found = shape[channelAxis];
  if (found === null || found === undefined) {
    throw new SEShapeError(field, `a known channel count on the ${layout} channel axis`, text);
  }
  if (channels !== undefined && found !== channels) {
    const other = layout === 'NCHW' ? 'NHWC' : 'NCHW';
    const hint =
      shape[otherAxis] === channels
        ? ` (the shape looks like ${other}: pass layout '${other}')`
        : '';
    throw new SEShapeError(
      field,
      `${channels} channels on the ${layout} channel axis${hint}`,
      `${text} (${found} channels)`,
    );
  }
  return found;
}

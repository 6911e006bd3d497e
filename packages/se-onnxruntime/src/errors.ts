import { SEError } from '@seblock/se-core';

/**
 * An ONNX model cannot be read, edited or run as asked: malformed bytes, an
 * unknown node or tensor name, an unsupported opset, a missing runtime package,
 * a runtime that refuses the model or fails to run it.
 * Extends se-core's {@link SEError}, so `instanceof SEError` catches it together
 * with SESpecError / SEShapeError from every adapter.
 *
 * `field` names what was wrong (e.g. `model`, `insertions[0].after`,
 * `options.opset`); `node` names the graph node involved, when there is one;
 * `cause` holds the runtime's own error when onnxruntime threw it.
 */
export class SEModelError extends SEError {
  readonly node: string | undefined;
  constructor(
    field: string,
    message: string,
    node?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(field, node === undefined ? message : `${message} (node "${node}")`);
    this.node = node;
    // As `new Error(message, { cause })` would set it: own, not enumerable.
    if (options && 'cause' in options)
      Object.defineProperty(this, 'cause', {
        value: options.cause,
        writable: true,
        configurable: true,
        enumerable: false,
      });
  }
}

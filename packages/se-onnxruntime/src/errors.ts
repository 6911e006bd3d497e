import { SEError } from '@seblock/se-core';

/**
 * An ONNX model cannot be read, edited or run as asked: malformed bytes, an
 * unknown node or tensor name, an unsupported opset, a missing runtime package.
 * Extends se-core's {@link SEError}, so `instanceof SEError` catches it together
 * with SESpecError / SEShapeError from every adapter.
 *
 * `field` names what was wrong (e.g. `model`, `insertions[0].after`,
 * `options.opset`); `node` names the graph node involved, when there is one.
 */
export class SEModelError extends SEError {
  readonly node: string | undefined;
  constructor(field: string, message: string, node?: string) {
    super(field, node === undefined ? message : `${message} (node "${node}")`);
    this.node = node;
  }
}

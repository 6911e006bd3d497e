import { SEModelError } from '../errors.js';
import { MAX_SUBGRAPH_DEPTH } from './limits.js';
import { type ModelProto, onnx, toNumber } from './onnx.js';
import { scopesOf } from './scopes.js';

/**
 * Decodes and sanity-checks ONNX model bytes. Protobuf is lenient (random bytes
 * often decode to an empty message), so a model must also have a graph and an
 * opset import to be accepted, and its subgraphs may nest at most
 * {@link MAX_SUBGRAPH_DEPTH} levels. The caller's bytes are copied first: protobufjs
 * returns `bytes` fields as views of its input, and nothing we return or edit may alias it
 * (`new Uint8Array(bytes)` copies; a Node Buffer's own `slice()` would not).
 */
export function decodeModel(bytes: Uint8Array, field = 'model'): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new SEModelError(
      field,
      `expected ONNX model bytes (Uint8Array), received ${bytes === null ? 'null' : typeof bytes}`,
    );
  }
  if (bytes.length === 0)
    throw new SEModelError(field, 'expected ONNX model bytes, received 0 bytes');
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(new Uint8Array(bytes));
  } catch (error) {
    // protobufjs decodes nested messages recursively: a file nested deeply enough overflows it.
    const tooDeep = error instanceof RangeError && /call stack/i.test(error.message);
    throw new SEModelError(
      field,
      tooDeep
        ? `not a readable ONNX ModelProto (${bytes.length} bytes): nested too deeply to decode; subgraphs may nest at most ${MAX_SUBGRAPH_DEPTH} levels`
        : `not a valid ONNX ModelProto (${bytes.length} bytes): ${(error as Error).message}`,
    );
  }
  if (!model.graph || toNumber(model.irVersion) < 3 || model.opsetImport.length === 0) {
    throw new SEModelError(
      field,
      `not a valid ONNX ModelProto (${bytes.length} bytes): ir_version ${toNumber(model.irVersion)}, ` +
        `${model.opsetImport.length} opset imports, ${model.graph ? 'with' : 'no'} graph`,
    );
  }
  scopesOf(model); // refuses subgraphs nested beyond MAX_SUBGRAPH_DEPTH, before any other work
  return model;
}

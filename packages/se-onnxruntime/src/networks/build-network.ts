import type { NetworkDefinition, NetworkNode } from '@seblock/se-core/networks';
import { encodeModel, type ModelProto, onnx } from '../proto/onnx.js';
import { irVersionFor, PRODUCER_NAME, tensorInfo } from './build-bridge.js';
import { checkNetwork, type NodeOutput } from './check-network.js';
import { emitNode } from './emit-nodes.js';
import { NetworkGraph } from './graph.js';
import { planNchwc } from './nchwc-form.js';
import { type BuildNetworkModelOptions, resolveNetworkOptions } from './options.js';
import { checkStateDict, type StateDictInput } from './state-dict.js';

/** metadata_props key holding `{ architecture, naming, numClasses, options }` of the network. */
export const NETWORK_METADATA_KEY = 'seblock.network';

/**
 * Builds a whole network as an ONNX model from its definition and a PyTorch state_dict:
 * float32 image in (N×3×H×W, or N×H×W×3 with `inputLayout: 'NHWC'`; batch, height and width
 * dynamic unless fixed), logits out (N×numClasses). One ONNX node (or a few) per IR node,
 * named by its PyTorch module path; initializers carry the state_dict's names.
 *
 * Nothing is built until the network and every state_dict tensor are checked: a bad
 * definition is an SESpecError naming the field, a state_dict that does not match is one
 * SEImportError listing every missing, unexpected, wrong-shape, wrong-dtype and non-finite
 * tensor. The caller's bytes and arrays are never modified nor referenced by the result.
 *
 * @example
 * ```ts
 * import { seResNet50 } from '@seblock/se-core/networks';
 * import { buildNetworkModel } from '@seblock/se-onnxruntime/networks';
 *
 * const model = buildNetworkModel(seResNet50(), safetensorsBytes);   // a .onnx file
 * const nhwc = buildNetworkModel(seResNet50(), safetensorsBytes, { inputLayout: 'NHWC', batch: 1 });
 * ```
 */
export function buildNetworkModel(
  network: NetworkDefinition,
  stateDict: StateDictInput,
  options: BuildNetworkModelOptions = {},
): Uint8Array {
  return encodeModel(buildNetworkModelProto(network, stateDict, options));
}

/**
 * {@link buildNetworkModel}, returning the protobuf object (onnx-proto's `ModelProto`) for
 * tools that edit it further before serialising.
 *
 * @example
 * ```ts
 * const proto = buildNetworkModelProto(seResNet50(), safetensorsBytes);
 * proto.graph?.node?.length; // 271: 191 IR nodes, each SE block 6 ONNX nodes
 * ```
 */
export function buildNetworkModelProto(
  network: NetworkDefinition,
  stateDict: StateDictInput,
  options: BuildNetworkModelOptions = {},
): ModelProto {
  const resolved = resolveNetworkOptions(options);
  const { outputs, seSpecs, schema } = checkNetwork(network);
  const weights = checkStateDict(schema, stateDict, network.architecture);

  // SE weights are named by the SE emitter itself (`<module>.fc1.weight`, …): not reserved.
  const graph = new NetworkGraph(resolved.opset, [
    resolved.inputName,
    resolved.outputName,
    ...schema.filter((e) => !seSpecs.has(e.node)).map((e) => e.name),
  ]);
  const { batch, height, width } = resolved.dims;
  const image0 = outputs.get((network.nodes[0] as NetworkNode).id) as NodeOutput;
  const channels = { dimValue: image0.channels };
  const nchw = resolved.inputLayout === 'NCHW';
  const image = nchw
    ? resolved.inputName
    : graph.op('input/to_nchw', 'Transpose', [resolved.inputName], { perm: [0, 3, 1, 2] });
  const tensors = new Map<string, string>();
  const nchwc =
    resolved.scaleForm === 'nchwc'
      ? planNchwc(network, Number(height.dimValue), Number(width.dimValue))
      : undefined;
  const context = { graph, weights, seSpecs, form: resolved.form, ...(nchwc ? { nchwc } : {}) };
  for (const node of network.nodes) {
    const inputs =
      node.op === 'input' ? [image] : node.inputs.map((id) => tensors.get(id) as string);
    tensors.set(node.id, emitNode(context, node, inputs));
  }
  graph.rename(tensors.get(network.output) as string, resolved.outputName);

  return onnx.ModelProto.create({
    irVersion: irVersionFor(resolved.opset),
    producerName: PRODUCER_NAME,
    opsetImport: [{ domain: '', version: resolved.opset }],
    graph: {
      name: network.architecture,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [
        tensorInfo(
          resolved.inputName,
          nchw ? [batch, channels, height, width] : [batch, height, width, channels],
        ),
      ],
      output: [tensorInfo(resolved.outputName, [batch, { dimValue: network.numClasses }])],
    },
    metadataProps: [
      {
        key: NETWORK_METADATA_KEY,
        value: JSON.stringify({
          architecture: network.architecture,
          naming: network.naming,
          numClasses: network.numClasses,
          options: network.options,
        }),
      },
    ],
  });
}

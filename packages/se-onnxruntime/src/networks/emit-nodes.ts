import { type SESpec, weightSlots } from '@seblock/se-core';
import type { NetworkNode } from '@seblock/se-core/networks';
import { emitNetworkActivation, emitSEBlock, type SEForm } from './build-bridge.js';
import type { NetworkGraph } from './graph.js';
import { type NchwcPlan, nchwcAddInputs } from './nchwc-form.js';

/** What a node emitter needs besides the node and its inputs. */
export interface EmitContext {
  readonly graph: NetworkGraph;
  /** Float32 values of every float tensor, by PyTorch name (checked against the schema). */
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly seSpecs: ReadonlyMap<string, SESpec>;
  readonly form: SEForm;
  /** Set when the network is written in the 'nchwc' scale form. */
  readonly nchwc?: NchwcPlan;
}

function parameter(context: EmitContext, name: string, dims: readonly number[]): string {
  return context.graph.parameter(name, dims, context.weights.get(name) as Float32Array);
}

/**
 * Writes one IR node and returns the tensor holding its output. A node that is a single ONNX
 * op is named by its id (the PyTorch module path); the ops of a composed node are named
 * `<id>/<part>`. Dropout and stochastic depth are the identity in inference: no node at all.
 */
export function emitNode(
  context: EmitContext,
  node: NetworkNode,
  inputs: readonly string[],
): string {
  const { graph } = context;
  const x = inputs[0] as string;
  switch (node.op) {
    case 'input':
      return x;
    case 'conv2d': {
      const { module, outChannels, inChannels, groups, kernel } = node;
      const w = parameter(context, `${module}.weight`, [
        outChannels,
        inChannels / groups,
        ...kernel,
      ]);
      const b = node.bias ? [parameter(context, `${module}.bias`, [outChannels])] : [];
      return graph.op(node.id, 'Conv', [x, w, ...b], {
        kernel_shape: [...kernel],
        strides: [...node.stride],
        // IR padding is [top, left, bottom, right]: ONNX's [h_begin, w_begin, h_end, w_end].
        pads: [...node.padding],
        dilations: [...node.dilation],
        group: groups,
      });
    }
    case 'batchNorm': {
      const c = [node.channels];
      const m = node.module;
      const inputs = ['weight', 'bias', 'running_mean', 'running_var'].map((t) =>
        parameter(context, `${m}.${t}`, c),
      );
      // Inference form (training_mode 0): (x − mean) / sqrt(var + eps) · weight + bias.
      return graph.op(node.id, 'BatchNormalization', [x, ...inputs], {
        epsilon: { float: node.eps },
      });
    }
    case 'activation': {
      const a = node.activation;
      // Hard-swish and hard-sigmoid as the ONNX ops, alpha and beta always written: measured on
      // full-size MobileNetV3 (224², one thread) the HardSwish op is about 20% faster on
      // onnxruntime-node than the SE emitter's PyTorch-exact composition (Small 2.7 against 3.5 ms,
      // Large 7.0 against 8.5 ms; wasm 0–9%), and the logits are as close to PyTorch either way
      // (4.2–5.7 against 5.1–6.2 ULPs of max |logit|): the op's rounding near −3 is far below
      // the feature map's scale, and the convolutions' summation order dominates.
      if (a.kind === 'hardswish') return graph.op(node.id, 'HardSwish', [x]);
      if (a.kind === 'hardsigmoid')
        return graph.op(node.id, 'HardSigmoid', [x], {
          alpha: { float: a.alpha },
          beta: { float: a.beta },
        });
      return emitNetworkActivation(graph, x, node.id, a.kind, context.form.erf);
    }
    case 'se': {
      const spec = context.seSpecs.get(node.id) as SESpec;
      const m = node.module;
      // The kind's weights under se-core's keys, read from the state_dict's `<module>.<tensor>`.
      const weights = Object.fromEntries(
        weightSlots(spec)
          .filter((slot) => slot.present)
          .map((slot) => [slot.key, context.weights.get(`${m}.${slot.tensor}`)]),
      );
      const expandTo = context.nchwc?.seSpatial.get(node.id);
      return emitSEBlock(graph, x, m, { spec, weights }, context.form, expandTo);
    }
    case 'add':
      return graph.op(
        node.id,
        'Add',
        context.nchwc
          ? nchwcAddInputs(graph, context.nchwc, node, inputs)
          : [x, inputs[1] as string],
      );
    case 'maxPool':
      // ONNX pads a max pool with −∞, as PyTorch does; ceil_mode 0 is PyTorch's floor mode.
      return graph.op(node.id, 'MaxPool', [x], {
        kernel_shape: [...node.kernel],
        strides: [...node.stride],
        pads: [...node.padding],
        ceil_mode: 0,
      });
    case 'globalAvgPool': {
      const pooled = graph.op(`${node.id}/GlobalAveragePool`, 'GlobalAveragePool', [x]);
      return graph.op(`${node.id}/Flatten`, 'Flatten', [pooled], { axis: 1 });
    }
    case 'linear': {
      const { module, outFeatures, inFeatures } = node;
      const w = parameter(context, `${module}.weight`, [outFeatures, inFeatures]);
      const b = node.bias ? [parameter(context, `${module}.bias`, [outFeatures])] : [];
      // nn.Linear: x · Wᵀ + b, W stored [out, in] as in the state_dict.
      return graph.op(node.id, 'Gemm', [x, w, ...b], { transB: 1 });
    }
    case 'dropout':
    case 'stochasticDepth':
      return x;
  }
}

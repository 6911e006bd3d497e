import type { KindBlock } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { NodeProto } from '../../proto/onnx.js';
import { emitActivation, matchActivation } from '../activation/registry.js';
import { DENSE_FORMS, matchDense } from '../dense/registry.js';
import { skipShapeOps } from '../match.js';
import { type ExcitationForm, tensorName } from './form.js';

/**
 * The two-layer excitation of kinds mlp and cbam (SPEC.md, "mlp"): dense C → rd, activation,
 * dense rd → C, each dense layer in the `fullyConnected` form. Read back, a missing bias of one
 * layer is an all-zero one (se-core has one bias flag for both).
 */
export function twoLayerForm<K extends 'mlp' | 'cbam'>(kind: K): ExcitationForm<K> {
  return {
    options: ['fullyConnected', 'erf'],
    wants: (choice) => DENSE_FORMS[choice.fullyConnected].shape,
    emit(sink: GraphSink, d, block: KindBlock<K>, choice) {
      const { spec, excitation, weights } = block;
      const { channels } = spec;
      const { reducedChannels: rd, bias } = excitation;
      const dense = DENSE_FORMS[choice.fullyConnected];
      const layer = (name: 'fc1' | 'fc2', input: string, inputs: number, outputs: number) =>
        dense.emit(sink, input, {
          weight: weights[`${name}Weight`],
          bias: bias ? weights[`${name}Bias`] : undefined,
          inputs,
          outputs,
          weightTensor: tensorName(block, `${name}Weight`),
          biasTensor: tensorName(block, `${name}Bias`),
          hint: name,
        });
      const hidden = emitActivation(
        sink,
        layer('fc1', d.name, channels, rd),
        excitation.activation,
        choice.erf,
        choice.nanGuard,
      );
      return { name: layer('fc2', hidden, rd, channels), shape: d.shape };
    },
    match(index, tensor) {
      const between: NodeProto[] = [];
      const fc2 = matchDense(index, tensor);
      const act = fc2 && matchActivation(index, skipShapeOps(index, fc2.input, between));
      const fc1 = act && matchDense(index, skipShapeOps(index, act.input, between));
      if (!fc2 || !act || !fc1) return undefined;
      const { inputs: channels, outputs: rd } = fc1.value;
      if (fc2.value.inputs !== rd || fc2.value.outputs !== channels) return undefined;
      const bias = fc1.value.bias !== undefined || fc2.value.bias !== undefined;
      const weights = {
        fc1Weight: fc1.value.weight,
        fc2Weight: fc2.value.weight,
        ...(bias
          ? {
              fc1Bias: fc1.value.bias ?? new Float32Array(rd),
              fc2Bias: fc2.value.bias ?? new Float32Array(channels),
            }
          : {}),
      };
      return {
        value: {
          excitation: { kind, reducedChannels: rd, activation: act.value.activation, bias },
          channels,
          weights,
          weightName: fc1.value.weightName,
          form: {
            fullyConnected: fc1.value.form,
            ...(act.value.erf ? { erf: act.value.erf } : {}),
          },
        },
        input: fc1.input,
        nodes: [...fc2.nodes, ...between, ...act.nodes, ...fc1.nodes],
      };
    },
  };
}

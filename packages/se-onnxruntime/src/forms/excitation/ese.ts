import { DENSE_FORMS, matchDense } from '../dense/registry.js';
import { type ExcitationForm, tensorName } from './form.js';

/** Kind ese (effective SE, VoVNetV2): one dense layer C → C, in the `fullyConnected` form. */
export const eseForm: ExcitationForm<'ese'> = {
  options: ['fullyConnected'],
  wants: (choice) => DENSE_FORMS[choice.fullyConnected].shape,
  emit(sink, d, block, choice) {
    const { channels } = block.spec;
    const name = DENSE_FORMS[choice.fullyConnected].emit(sink, d.name, {
      weight: block.weights.fcWeight,
      bias: block.excitation.bias ? block.weights.fcBias : undefined,
      inputs: channels,
      outputs: channels,
      weightTensor: tensorName(block, 'fcWeight'),
      biasTensor: tensorName(block, 'fcBias'),
      hint: 'fc',
    });
    return { name, shape: d.shape };
  },
  match(index, tensor) {
    const fc = matchDense(index, tensor);
    if (!fc || fc.value.inputs !== fc.value.outputs) return undefined;
    const { weight, bias, inputs: channels, weightName, form } = fc.value;
    return {
      value: {
        excitation: { kind: 'ese', bias: bias !== undefined },
        channels,
        weights: { fcWeight: weight, ...(bias ? { fcBias: bias } : {}) },
        weightName,
        form: { fullyConnected: form },
      },
      input: fc.input,
      nodes: fc.nodes,
    };
  },
};

import { SqueezeExcite } from '@seblock/se-tfjs';
import * as tfl from '@tensorflow/tfjs-layers';

/** The model's SE layers, in the order the data reaches them. */
export function seLayersOf(model: tfl.LayersModel): SqueezeExcite[] {
  return model.layers.filter((layer): layer is SqueezeExcite => layer instanceof SqueezeExcite);
}

/**
 * A model that returns, for each SE layer, the activation that reaches it and what it gives
 * back (NHWC), computed by the trained model's own layers in inference mode.
 */
export function seProbe(model: tfl.LayersModel): tfl.LayersModel {
  const outputs = seLayersOf(model).flatMap((layer) => [
    layer.input as tfl.SymbolicTensor,
    layer.output as tfl.SymbolicTensor,
  ]);
  return tfl.model({ inputs: model.inputs, outputs, name: `${model.name}_se_probe` });
}

// @seblock/se-tfjs: Squeeze-and-Excitation for TensorFlow.js.
//
// The side effects of this package, both TF.js conventions for registering at import:
// - TF.js can only rebuild a saved model containing a SqueezeExcite layer
//   (tf.loadLayersModel) once the class is registered;
// - the fused SE kernels (cpu, wasm) join TF.js' kernel registry, so seBlock and the layer
//   run one kernel instead of the composed ops on those backends.
// This file is the only one listed in package.json "sideEffects"; `@seblock/se-tfjs/base`
// exports the same API without either.
import { registerSEKernels } from './kernels/register.js';
import { registerSqueezeExcite } from './layer/register.js';

registerSqueezeExcite();
registerSEKernels();

export * from './base.js';

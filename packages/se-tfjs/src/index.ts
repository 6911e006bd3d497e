// @seblock/se-tfjs: Squeeze-and-Excitation for TensorFlow.js.
//
// The one side effect of this package: TF.js can only rebuild a saved model containing a
// SqueezeExcite layer (tf.loadLayersModel) once the class is registered, and registering at
// import is TF.js' convention for custom layers. This file is the only one listed in
// package.json "sideEffects"; `@seblock/se-tfjs/base` exports the same API without it.
import { registerSqueezeExcite } from './layer/register.js';

registerSqueezeExcite();

export * from './base.js';

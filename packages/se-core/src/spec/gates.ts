import type { HardSigmoidGate, SigmoidGate } from './primitives.js';

/** The logistic sigmoid gate of the paper. */
export const sigmoidGate: SigmoidGate = Object.freeze({ type: 'sigmoid' });

/**
 * PyTorch `nn.Hardsigmoid` (also timm, torchvision, Keras 3 and Keras MobileNetV3):
 * `clamp(x / 6 + 1 / 2, 0, 1)`, saturating at ±3.
 */
export const pytorchHardSigmoid: HardSigmoidGate = Object.freeze({
  type: 'hardsigmoid',
  alpha: 1 / 6,
  beta: 0.5,
});

/** ONNX `HardSigmoid` with its default attributes: `clamp(0.2 x + 0.5, 0, 1)`, saturating at ±2.5. */
export const onnxDefaultHardSigmoid: HardSigmoidGate = Object.freeze({
  type: 'hardsigmoid',
  alpha: 0.2,
  beta: 0.5,
});

/** Keras 2 / TF.js layers `'hardSigmoid'` activation: also `0.2 x + 0.5`. */
export const keras2HardSigmoid: HardSigmoidGate = Object.freeze({
  type: 'hardsigmoid',
  alpha: 0.2,
  beta: 0.5,
});

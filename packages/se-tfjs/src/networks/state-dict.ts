import { SEImportError } from '@seblock/se-core';
import {
  type CheckpointTensor,
  float32Tensor,
  int64Tensor,
  matchStateDict,
  type NetworkDefinition,
  type TensorRole,
  writeCheckpoint,
} from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { layerSlots } from '../layer/slots.js';
import { SqueezeExcite } from '../layer/squeeze-excite.js';
import { buildNetworkModel, type NetworkModelOptions } from './build-model.js';
import { TorchBatchNorm } from './layers/torch-batch-norm.js';
import { TorchConv2d } from './layers/torch-conv2d.js';

/** One PyTorch tensor and the TF.js variable that holds it (in TF.js' layout). */
interface Binding {
  readonly name: string;
  readonly torchShape: readonly number[];
  readonly dtype: 'F32' | 'I64';
  /** For the BatchNorm buffers the matcher treats specially (running_var, num_batches_tracked). */
  readonly role?: TensorRole;
  readonly variable: LayerVariable;
  /** Axis order taking the TF.js array to PyTorch's, when they differ. */
  readonly toTorch?: readonly number[];
}

const CONV_TO_TORCH = [3, 2, 0, 1]; // [kh, kw, in/g, out] → [out, in/g, kh, kw]
const DENSE_TO_TORCH = [1, 0]; // [in, out] → [out, in]

function weightNamed(
  layer: { weights: LayerVariable[]; name: string },
  suffix: string,
): LayerVariable {
  const found = layer.weights.find((w) => w.originalName === `${layer.name}/${suffix}`);
  if (!found)
    throw new SEImportError(`layer ${layer.name}`, `a built weight ${suffix}`, undefined, 'none');
  return found;
}

/** The PyTorch tensors of a network model, derived from its layers (so it works on a reloaded model). */
function bindingsOf(model: LayersModel): Binding[] {
  const out: Binding[] = [];
  const f32 = (name: string, variable: LayerVariable, torchShape: number[], toTorch?: number[]) =>
    out.push({ name, variable, torchShape, dtype: 'F32', ...(toTorch ? { toTorch } : {}) });
  for (const layer of model.layers) {
    const m = layer.name;
    if (layer instanceof TorchConv2d) {
      const [kh, kw, ig, o] = (layer.kernel as LayerVariable).shape as number[];
      f32(
        `${m}.weight`,
        layer.kernel as LayerVariable,
        [o as number, ig as number, kh as number, kw as number],
        CONV_TO_TORCH,
      );
      if (layer.bias) f32(`${m}.bias`, layer.bias, [o as number]);
    } else if (layer instanceof TorchBatchNorm) {
      const c = [(layer.gamma as LayerVariable).shape[0] as number];
      f32(`${m}.weight`, layer.gamma as LayerVariable, c);
      f32(`${m}.bias`, layer.beta as LayerVariable, c);
      f32(`${m}.running_mean`, layer.runningMean as LayerVariable, c);
      out.push({
        name: `${m}.running_var`,
        variable: layer.runningVar as LayerVariable,
        torchShape: c,
        dtype: 'F32',
        role: 'bnRunningVar',
      });
      out.push({
        name: `${m}.num_batches_tracked`,
        variable: layer.numBatchesTracked as LayerVariable,
        torchShape: [],
        dtype: 'I64',
        role: 'bnNumBatchesTracked',
      });
    } else if (layer instanceof SqueezeExcite) {
      // The networks' SE modules hold their matrices as 1×1 convolutions ([out, in, 1, 1]).
      for (const { slot, name, transposed } of layerSlots(layer.spec)) {
        const torchShape = slot.shape.length === 2 ? [...slot.shape, 1, 1] : [...slot.shape];
        f32(
          `${m}.${slot.tensor}`,
          weightNamed(layer, name),
          torchShape,
          transposed ? DENSE_TO_TORCH : undefined,
        );
      }
    } else if (layer.getClassName() === 'Dense') {
      const kernel = weightNamed(layer, 'kernel');
      const [i, o] = kernel.shape as [number, number];
      f32(`${m}.weight`, kernel, [o, i], DENSE_TO_TORCH);
      if (layer.weights.length > 1) f32(`${m}.bias`, weightNamed(layer, 'bias'), [o]);
    }
  }
  return out;
}

/** Transposes a row-major array of `shape` by `perm` (pure data movement: bits unchanged). */
function permute<T extends Float32Array | Int32Array>(
  values: T,
  shape: readonly number[],
  perm: readonly number[],
): T {
  const outShape = perm.map((p) => shape[p] as number);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const index = new Array(outShape.length).fill(0);
  for (let k = 0; k < values.length; k++) {
    let src = 0;
    for (let a = 0; a < perm.length; a++) src += index[a] * (strides[perm[a] as number] as number);
    out[k] = values[src] as number;
    for (let a = outShape.length - 1; a >= 0; a--) {
      if (++index[a] < (outShape[a] as number)) break;
      index[a] = 0;
    }
  }
  return out;
}

/** The inverse of an axis permutation. */
function inverse(perm: readonly number[]): number[] {
  const out: number[] = [];
  perm.forEach((p, i) => {
    out[p] = i;
  });
  return out;
}

const INT32_MAX = 2n ** 31n - 1n;

/**
 * Loads a PyTorch state_dict (safetensors bytes, timm / torchvision names) into a network model
 * built by {@link buildNetworkModel} (or pass the se-core network definition and one is built).
 * Every tensor is checked first by se-core's `matchStateDict` (the policy the onnxruntime
 * adapter uses too: names, shapes, dtypes — F32, F64, F16 and BF16 for parameters, I64 or I32
 * for `num_batches_tracked`, which may be absent as PyTorch allows — and no NaN, ±Infinity or
 * negative running variance); an `SEStateDictError` lists every problem at once, and nothing is
 * set unless everything fits.
 *
 * @example
 * ```ts
 * const model = loadPyTorchStateDict(seResNet50(), await readFile('model.safetensors'));
 * const logits = model.predict(images) as tf.Tensor;
 * ```
 */
export function loadPyTorchStateDict(
  target: LayersModel | NetworkDefinition,
  bytes: Uint8Array,
  options: NetworkModelOptions = {},
): LayersModel {
  if (!('nodes' in target)) {
    setStateDict(target, bytes);
    return target;
  }
  // A model built here is freed again when the checkpoint does not fit.
  const model = buildNetworkModel(target, options);
  try {
    setStateDict(model, bytes);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

function setStateDict(model: LayersModel, bytes: Uint8Array): void {
  const bindings = bindingsOf(model);
  const expected = bindings.map((b) => ({
    name: b.name,
    shape: b.torchShape,
    dtype: b.dtype,
    ...(b.role ? { role: b.role } : {}),
  }));
  const { floats, counters } = matchStateDict(expected, bytes, model.name);
  const prepared: { b: Binding; values: Float32Array | Int32Array }[] = [];
  for (const b of bindings) {
    if (b.dtype === 'I64') {
      const value = counters.get(b.name);
      // Absent from the file: the model keeps its own count, as PyTorch does.
      if (value === undefined) continue;
      if (value < 0n || value > INT32_MAX) {
        throw new SEImportError(
          b.name,
          `a count from 0 to ${INT32_MAX} (held as int32 in TF.js)`,
          value,
        );
      }
      prepared.push({ b, values: Int32Array.of(Number(value)) });
      continue;
    }
    const values = floats.get(b.name) as Float32Array;
    prepared.push({
      b,
      values: b.toTorch ? permute(values, b.torchShape, inverse(b.toTorch)) : values,
    });
  }
  for (const { b, values } of prepared) {
    const t = tf.tensor(
      values,
      b.variable.shape as number[],
      b.dtype === 'I64' ? 'int32' : 'float32',
    );
    b.variable.write(t);
    t.dispose();
  }
}

/**
 * Exports a network model's weights as a PyTorch state_dict in safetensors bytes: the same
 * names, shapes and dtypes as timm / torchvision (F32, and I64 `num_batches_tracked`). A
 * checkpoint loaded with {@link loadPyTorchStateDict} exports with identical bytes per tensor.
 *
 * @example
 * ```ts
 * await writeFile('finetuned.safetensors', exportPyTorchStateDict(model));
 * ```
 */
export function exportPyTorchStateDict(model: LayersModel): Uint8Array {
  const tensors = new Map<string, CheckpointTensor>();
  for (const b of bindingsOf(model)) {
    const data = b.variable.read().dataSync();
    if (b.dtype === 'I64') {
      tensors.set(b.name, int64Tensor([], BigInt64Array.of(BigInt(data[0] as number))));
    } else {
      const floats =
        data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
      const shapeTF = b.variable.shape as number[];
      tensors.set(
        b.name,
        float32Tensor(b.torchShape, b.toTorch ? permute(floats, shapeTF, b.toTorch) : floats),
      );
    }
  }
  return writeCheckpoint(tensors, { format: 'pt' });
}

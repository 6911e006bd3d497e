import { activationDims, describeValue } from '@seblock/se-core';
import {
  type AnyNetworkOptions,
  type ArchitectureName,
  buildNetwork,
  type NetworkDefinition,
} from '@seblock/se-core/networks';
import { SEModelError } from '../errors.js';
import { withSessionForm } from '../session/forms.js';
import { createModelSession, providersOf } from '../session/model-session.js';
import type { OrtTensorLike } from '../session/runtime.js';
import type { ModelSession, SessionOptions } from '../session/types.js';
import { buildNetworkModel } from './build-network.js';
import { openFusedResidualSession } from './fused-session.js';
import type { BuildNetworkModelOptions } from './options.js';
import type { StateDictInput } from './state-dict.js';

/** Options of {@link loadNetworkSession}: the runtime's, the model builder's, and the network's. */
export interface NetworkSessionOptions<T extends OrtTensorLike = OrtTensorLike>
  extends SessionOptions<T>,
    BuildNetworkModelOptions {
  /**
   * Builder options when the network is given by name, e.g. `{ numClasses: 10 }` for a
   * fine-tuned checkpoint (1000 ImageNet classes by default).
   */
  readonly network?: AnyNetworkOptions;
  /**
   * Each SE block's scale, the residual Add after it and its ReLU as ONE pass, as the SENet
   * paper's Caffe release did with its Axpy layer: on onnxruntime-node's CPU EP with the
   * 'nchwc' scale form (which this function picks there once batch, height and width are
   * fixed), a depthwise Conv whose weight is the SE gate, in onnxruntime's blocked layout
   * (src/networks/fused-residual.ts; a batch of N runs as one image of N·C channels). The session is opened from onnxruntime's own optimised
   * graph, written to a temporary file and rewritten (a few hundred ms more at load for
   * SE-ResNet-50). Default: wherever it applies; `false` never; `true` where it cannot apply
   * is an error naming what is missing.
   */
  readonly fuseScaleResidual?: boolean;
}

/**
 * A loaded network: a {@link ModelSession} (`run` by name with ort tensors; `runArray(image,
 * [N, 3, H, W])` gives the logits, N×numClasses) that knows its network definition.
 */
export interface NetworkSession<T extends OrtTensorLike = OrtTensorLike> extends ModelSession<T> {
  readonly network: NetworkDefinition;
  /** SE blocks whose scale, residual Add and ReLU run as one Conv (`fuseScaleResidual`); 0 if none. */
  readonly fusedScaleResiduals: number;
}

/** onnxruntime-node with its CPU EP first: where the NCHWc layout (and all that uses it) exists. */
function nodeCpuFirst(options: NetworkSessionOptions, providers: ReturnType<typeof providersOf>) {
  const first = providers[0];
  return options.runtime === 'node' && (typeof first === 'string' ? first : first?.name) === 'cpu';
}

/** Optimisation level 'all' (the default), which brings onnxruntime's NCHWc transformer. */
function levelAll(options: NetworkSessionOptions) {
  return (options.graphOptimizationLevel ?? 'all') === 'all';
}

/**
 * The 'nchwc' scale form (options.ts, NetworkScaleForm) where it is faster: onnxruntime-node's
 * CPU EP at optimisation level 'all' (which brings its NCHWc layout) with batch, height and
 * width fixed, unless the caller chose any of the forms it sets. With it the SE squeeze is
 * GlobalAveragePool and the FCs 1×1 Convs, which that layout keeps too; the CPU session's
 * float64 mean (session/forms.ts) would need every x back in NCHW. Measured on SE-ResNet-50,
 * 224², one thread, in one run: SE overhead +3.9% against +12.7% with the CPU session forms
 * (docs/performance.md); the logits stay within the networks' tolerance of PyTorch's float64
 * ones (test/networks/nchwc-form.test.ts).
 */
function nchwcWhereItPays(
  definition: NetworkDefinition,
  options: NetworkSessionOptions,
  providers: ReturnType<typeof providersOf>,
): BuildNetworkModelOptions {
  const cpu = nodeCpuFirst(options, providers);
  const level = levelAll(options);
  const fixed = [options.batch, options.height, options.width].every((d) => typeof d === 'number');
  const chosen = [options.scaleForm, options.squeezeOp, options.fullyConnected].some(
    (o) => o !== undefined,
  );
  // Only where every SE block stays in that layout: its channels a whole number of NCHWc
  // blocks (16 floats, or 8) and a Sigmoid gate, which onnxruntime fuses into the second FC.
  // A hard-sigmoid gate (PyTorch-exact Add, Div, Clip) is not kept there: MobileNetV3-Large
  // measured 5% slower with the form, EfficientNet-B0 (Sigmoid gates) 16% faster.
  const blocksStay = definition.nodes.every(
    (n) => n.op !== 'se' || (n.spec?.gate?.type === 'sigmoid' && n.spec.channels % 16 === 0),
  );
  return cpu && level && fixed && !chosen && blocksStay
    ? { scaleForm: 'nchwc', squeezeOp: 'global-pool', fullyConnected: 'conv' }
    : {};
}

/**
 * Why `fuseScaleResidual` cannot apply to this session, or undefined when it can: it needs
 * onnxruntime-node's CPU EP at level 'all' (the NCHWc layout), the 'nchwc' scale form and a
 * batch of 1 (the fused Conv's weight, the gate, is shared by the whole batch).
 */
function whyNoFusedResidual(
  options: NetworkSessionOptions,
  providers: ReturnType<typeof providersOf>,
  scaleForm: BuildNetworkModelOptions['scaleForm'],
): string | undefined {
  if (!nodeCpuFirst(options, providers))
    return "runtime 'node' with the 'cpu' execution provider first";
  if (!levelAll(options)) return "graphOptimizationLevel 'all'";
  if (scaleForm !== 'nchwc') return "scaleForm 'nchwc'";
  if (typeof options.batch !== 'number') return 'a fixed batch (options.batch a number)';
  if (options.sessionOptions?.optimizedModelFilePath !== undefined)
    return 'no sessionOptions.optimizedModelFilePath of your own';
  return undefined;
}

/**
 * From a PyTorch checkpoint to a running network: builds the network (by its timm /
 * torchvision name, or from your definition), checks the state_dict against it, builds the
 * ONNX model and loads it in onnxruntime-node (`runtime: 'node'`) or onnxruntime-web
 * (`runtime: 'web'`). The model bytes are not kept once the session holds the model.
 *
 * @example
 * ```ts
 * import { loadNetworkSession } from '@seblock/se-onnxruntime/networks';
 *
 * const session = await loadNetworkSession('seresnet50', safetensorsBytes, { runtime: 'node' });
 * const logits = await session.runArray(image, [1, 3, 224, 224]);   // Float32Array(1000)
 * await session.release();
 * ```
 */
export async function loadNetworkSession<T extends OrtTensorLike = OrtTensorLike>(
  network: ArchitectureName | NetworkDefinition,
  stateDict: StateDictInput,
  options: NetworkSessionOptions<T>,
): Promise<NetworkSession<T>> {
  if (typeof options !== 'object' || options === null)
    throw new SEModelError('options', "expected { runtime: 'node' | 'web', … }");
  const definition = typeof network === 'string' ? buildNetwork(network, options.network) : network;
  // The forms chosen for the execution provider (session/forms.ts: SESSION_FORMS; the network
  // runs NCHW inside), unless the caller chose; an explicit form known to be wrong there is refused.
  const providers = providersOf(options);
  const built = withSessionForm(providers, {
    ...nchwcWhereItPays(definition, options, providers),
    ...options,
    layout: 'NCHW' as const,
  });
  const fuse = wantsFusedResidual(options, providers, built.scaleForm);
  const model = buildNetworkModel(definition, stateDict, built);
  const fused = fuse ? await fusedResidualSession(model, options) : undefined;
  const session = fused?.session ?? (await createModelSession(model, options));
  const layout = options.inputLayout ?? 'NCHW';
  const channels = (definition.nodes[0] as { channels: number }).channels;
  return {
    ...session,
    network: definition,
    fusedScaleResiduals: fused?.fused ?? 0,
    // The model's own feed check knows only dims; this one also names a layout mix-up.
    async runArray(image, shape) {
      activationDims(shape, layout, channels, 'image');
      return session.runArray(image, shape);
    },
  };
}

/**
 * Whether to fuse the SE scale + residual (see the option): checked before the model is built,
 * so a bad or impossible `fuseScaleResidual` is refused before any work.
 */
function wantsFusedResidual(
  options: NetworkSessionOptions,
  providers: ReturnType<typeof providersOf>,
  scaleForm: BuildNetworkModelOptions['scaleForm'],
): boolean {
  const wanted = options.fuseScaleResidual;
  if (wanted !== undefined && typeof wanted !== 'boolean')
    throw new SEModelError(FUSE_FIELD, `expected true or false, received ${describeValue(wanted)}`);
  if (wanted === false) return false;
  const missing = whyNoFusedResidual(options, providers, scaleForm);
  if (missing !== undefined && wanted)
    throw new SEModelError(FUSE_FIELD, `the fused SE scale + residual needs ${missing}`);
  return missing === undefined;
}

const FUSE_FIELD = 'options.fuseScaleResidual';

/** The fused session, or undefined (then the caller opens the model as usual). */
async function fusedResidualSession<T extends OrtTensorLike>(
  model: Uint8Array,
  options: NetworkSessionOptions<T>,
) {
  try {
    return await openFusedResidualSession(model, options, FUSE_FIELD);
  } catch (error) {
    if (options.fuseScaleResidual) throw error;
    // Asked for by default only: the network still runs, unfused, and the caller hears why.
    (options.warn ?? console.warn)(
      `@seblock/se-onnxruntime: running the network without the fused SE scale + residual: ${(error as Error).message}`,
    );
    return undefined;
  }
}

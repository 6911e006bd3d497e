import { LAYOUTS, type Layout, SESpecError } from '@seblock/se-core';
import {
  checkOpset,
  DEFAULT_OPSET,
  type DimSpec,
  dim,
  resolveSEForm,
  type SEForm,
} from './build-bridge.js';

/**
 * How each SE block's scale and the residual Add after it are written:
 * - 'broadcast' (default): Mul of x by the channel weights [N, C, 1, 1], then Add and ReLU;
 * - 'nchwc': for onnxruntime-node's CPU EP. The weights are expanded to x's H×W (a
 *   nearest Resize) so the Mul has equal shapes, and an identity shortcut into that Add goes
 *   through a depthwise 1×1 Conv of weight 1: onnxruntime then keeps the whole network in its
 *   blocked NCHWc layout and fuses the Add and ReLU into that Conv (docs/performance.md,
 *   "Where the overhead goes"). The same products and sums; it needs batch, height and
 *   width fixed, and is slower on EPs without NCHWc (onnxruntime-web).
 */
export type NetworkScaleForm = 'broadcast' | 'nchwc';

/** Every {@link NetworkScaleForm}. */
export const NETWORK_SCALE_FORMS: readonly NetworkScaleForm[] = ['broadcast', 'nchwc'];

/** Options of {@link buildNetworkModel}. */
export interface BuildNetworkModelOptions extends Partial<SEForm> {
  /** How the SE scale and the residual after it are written (default 'broadcast'). */
  readonly scaleForm?: NetworkScaleForm;
  /**
   * Layout of the image input: 'NCHW' (PyTorch's, default) or 'NHWC' (a Transpose to NCHW
   * is the model's first node; the network runs NCHW inside either way).
   */
  readonly inputLayout?: Layout;
  /** Default-domain opset, 14–22 (default {@link DEFAULT_OPSET}, 17). */
  readonly opset?: number;
  /** Batch dimension: a number fixes it, a string names a dynamic dim (default 'N'). */
  readonly batch?: DimSpec;
  /** Image height (default dynamic 'H'). */
  readonly height?: DimSpec;
  /** Image width (default dynamic 'W'). */
  readonly width?: DimSpec;
  /** Graph input name (default 'x'). */
  readonly inputName?: string;
  /** Graph output name (default 'logits'). */
  readonly outputName?: string;
}

/** Options after defaults and checks. */
export interface ResolvedNetworkOptions {
  readonly inputLayout: Layout;
  readonly opset: number;
  readonly form: SEForm;
  readonly scaleForm: NetworkScaleForm;
  readonly dims: {
    readonly batch: ReturnType<typeof dim>;
    readonly height: ReturnType<typeof dim>;
    readonly width: ReturnType<typeof dim>;
  };
  readonly inputName: string;
  readonly outputName: string;
}

function name(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '')
    throw new SESpecError(field, 'a non-empty string', value);
  return value;
}

/** Fills in defaults and rejects bad options with typed errors naming the option. */
export function resolveNetworkOptions(options: BuildNetworkModelOptions): ResolvedNetworkOptions {
  if (typeof options !== 'object' || options === null)
    throw new SESpecError('options', 'an options object', options);
  const inputLayout = options.inputLayout ?? 'NCHW';
  if (!LAYOUTS.includes(inputLayout))
    throw new SESpecError('options.inputLayout', '"NCHW" or "NHWC"', inputLayout);
  const opset = options.opset ?? DEFAULT_OPSET;
  checkOpset(opset, 'options.opset');
  const form = resolveSEForm(options, opset);
  const scaleForm = options.scaleForm ?? 'broadcast';
  if (!NETWORK_SCALE_FORMS.includes(scaleForm))
    throw new SESpecError('options.scaleForm', '"broadcast" or "nchwc"', scaleForm);
  const dims = {
    batch: dim(options.batch ?? 'N', 'options.batch'),
    height: dim(options.height ?? 'H', 'options.height'),
    width: dim(options.width ?? 'W', 'options.width'),
  };
  // The expanded scale's Resize needs H and W, and onnxruntime keeps its Mul in NCHWc only when
  // shape inference proves both inputs equal, which a symbolic batch defeats.
  const dynamic = Object.entries(dims).filter(([, d]) => !('dimValue' in d));
  if (scaleForm === 'nchwc' && dynamic.length > 0)
    throw new SESpecError(
      'options.scaleForm',
      `"broadcast" while ${dynamic.map(([k]) => `options.${k}`).join(', ')} ${dynamic.length > 1 ? 'are' : 'is'} not fixed ("nchwc" needs batch, height and width numbers)`,
      scaleForm,
    );
  const inputName = name(options.inputName, 'options.inputName', 'x');
  const outputName = name(options.outputName, 'options.outputName', 'logits');
  if (inputName === outputName)
    throw new SESpecError(
      'options.outputName',
      `a name other than the input's ("${inputName}")`,
      outputName,
    );
  return {
    inputLayout,
    opset,
    form,
    scaleForm,
    dims,
    inputName,
    outputName,
  };
}

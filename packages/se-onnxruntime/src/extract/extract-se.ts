import type { Layout, SEBlock } from '@seblock/se-core';
import type { ErfForm } from '../forms/activation/form.js';
import { matchSE } from '../forms/block.js';
import type { FullyConnectedOp } from '../forms/dense/registry.js';
import type { NaNGuard } from '../forms/nan-guard.js';
import type { SqueezeOp } from '../forms/pool/registry.js';
import { decodeModel } from '../proto/decode.js';
import { blockName } from '../proto/names.js';
import type { NodeProto } from '../proto/onnx.js';
import { flattenedIndex, type ViewNode } from './graph-view.js';

/** How a found block is written: the build options that write it this way again. */
export interface ExtractedForm {
  readonly squeezeOp: SqueezeOp;
  /** The dense layers' form (kinds with dense layers: mlp, cbam, ese). */
  readonly fullyConnected?: FullyConnectedOp;
  /** How exact GELU's erf is written (activation gelu). */
  readonly erf?: ErfForm;
  /** 'all' when the activation and the gate carry NaN guards, else 'max'. */
  readonly nanGuard: NaNGuard;
  /** Whether the block is a SqueezeExcite function call. */
  readonly asFunction: boolean;
}

/** An SE block found in a model. */
export interface ExtractedSE {
  /**
   * The module prefix, from the kind's first weight's initializer name (`features.1.block.1`
   * for `features.1.block.1.fc1.weight`, as PyTorch's exporter keeps state_dict names),
   * else from the node name. Unique within the result; usable as a se-core bundle key.
   */
  readonly name: string;
  /** Spec and weights in se-core's canonical layout. */
  readonly block: SEBlock;
  readonly layout: Layout;
  /** The tensor the block reads (x) and the one it writes (y). */
  readonly input: string;
  readonly output: string;
  /** Names of the graph nodes the block is made of (a function call counts as one). */
  readonly nodes: readonly string[];
  /** How the block is written. */
  readonly form: ExtractedForm;
}

/** 'layer1.0.se.fc1.weight' → 'layer1.0.se'; 'x.se.fc.0.weight' → 'x.se'; undefined when not a module path. */
function moduleName(weightName: string): string | undefined {
  if (!weightName.endsWith('.weight')) return undefined;
  const parts = weightName.slice(0, -'.weight'.length).split('.');
  const last = parts.pop();
  if (last !== undefined && /^\d+$/.test(last)) parts.pop();
  return parts.length > 0 ? parts.join('.') : undefined;
}

/**
 * Finds the SE blocks in an ONNX model and returns them as se-core blocks, of every
 * excitation kind: squeeze (GlobalAveragePool/GlobalMaxPool/ReduceMean/ReduceMax, avgmax,
 * or avg and max each through the excitation, summed) → the kind's excitation (mlp and cbam:
 * dense → activation → dense; ese: one dense C → C; dense layers as 1×1 Conv, Gemm or
 * MatMul+Add; eca: its k taps added, or a one-channel Conv of k taps) → gate (Sigmoid,
 * HardSigmoid or its compositions) → optional gain → Mul with the block input. Covers every
 * form buildSEModel writes (src/forms/), what PyTorch's exporter writes (torchvision
 * MobileNetV3, biases shared through Identity; timm-style ECA, effective SE and CBAM), and
 * SqueezeExcite function calls.
 *
 * @example
 * ```ts
 * import { encodeSEBundle } from '@seblock/se-core';
 * const found = extractSE(mobilenetBytes);
 * found.map((f) => f.name);              // ['features.1.block.1', 'features.4.block.2', …]
 * const bundle = encodeSEBundle(new Map(found.map((f) => [f.name, f.block])));  // → se-tfjs
 * ```
 */
export function extractSE(modelBytes: Uint8Array): ExtractedSE[] {
  const model = decodeModel(modelBytes);
  const index = flattenedIndex(model);
  const found: ExtractedSE[] = [];
  const used = new Set<NodeProto>();
  const names = new Set<string>();
  for (const node of (index.graph.node ?? []) as ViewNode[]) {
    if (node.opType !== 'Mul' || (node.domain && node.domain !== 'ai.onnx') || used.has(node))
      continue;
    const match = matchSE(index, node);
    if (!match || match.nodes.some((n) => used.has(n))) continue;
    for (const n of match.nodes) used.add(n);
    const base = blockName(moduleName(match.weightName) ?? node.origin);
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    const origins = [...new Set((match.nodes as ViewNode[]).map((n) => n.origin).filter(Boolean))];
    found.push({
      name,
      block: match.block,
      layout: match.layout,
      input: match.input,
      output: match.output,
      nodes: origins,
      form: { ...match.form, asFunction: (node as ViewNode).inFunction },
    });
  }
  return found;
}

/**
 * {@link extractSE} as a map name → block, ready for se-core's `encodeSEBundle`.
 *
 * @example
 * ```ts
 * const bytes = encodeSEBundle(extractSEBundle(onnxBytes));  // safetensors for se-tfjs
 * ```
 */
export function extractSEBundle(modelBytes: Uint8Array): Map<string, SEBlock> {
  return new Map(extractSE(modelBytes).map((f) => [f.name, f.block]));
}

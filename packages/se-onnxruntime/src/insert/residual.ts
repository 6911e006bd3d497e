import type { SEBlock } from '@seblock/se-core';
import { GraphIndex } from '../proto/graph-index.js';
import { decodeModel, type GraphProto } from '../proto/onnx.js';
import { inferChannels } from './channels.js';
import { type InsertSEOptions, insertSE, type SEInsertion } from './insert-se.js';

/** One residual addition: `add(branch, shortcut)`. */
export interface ResidualBranch {
  /** Name of the Add node. */
  readonly add: string;
  /** The residual branch's output tensor: where SE-ResNet puts its SE block. */
  readonly branch: string;
  /** The shortcut tensor (the block input, or its downsampling projection). */
  readonly shortcut: string;
  /** Channels of the branch (NCHW). */
  readonly channels: number;
  /** Conv layers on the branch and on the shortcut since the two paths split. */
  readonly branchConvs: number;
  readonly shortcutConvs: number;
}

/** Every tensor `tensor` depends on (itself included), through node inputs. */
function ancestors(index: GraphIndex, tensor: string): Set<string> {
  const seen = new Set<string>();
  const stack = [tensor];
  while (stack.length > 0) {
    const t = stack.pop() as string;
    if (seen.has(t)) continue;
    seen.add(t);
    for (const input of index.producers.get(t)?.node.input ?? [])
      if (input && !index.initializers.has(input)) stack.push(input);
  }
  return seen;
}

/** Conv nodes that produce tensors in `tensors`. */
function countConvs(index: GraphIndex, tensors: Iterable<string>): number {
  let n = 0;
  for (const t of tensors) if (index.producers.get(t)?.node.opType === 'Conv') n++;
  return n;
}

/**
 * Finds the residual additions of a CNN (ResNet BasicBlock/Bottleneck and the like):
 * Add nodes of two rank-4 activations where one side (the branch) has more Conv
 * layers since the paths split than the other (the shortcut: identity or a 1×1
 * projection). Adds whose sides are alike are skipped.
 *
 * @example
 * ```ts
 * for (const r of findResidualBranches(resnetBytes)) console.log(r.add, r.branch, r.channels);
 * ```
 */
export function findResidualBranches(modelBytes: Uint8Array): ResidualBranch[] {
  const model = decodeModel(modelBytes);
  const index = new GraphIndex(model.graph as GraphProto);
  const found: ResidualBranch[] = [];
  for (const node of model.graph?.node ?? []) {
    if (node.opType !== 'Add' || (node.domain && node.domain !== 'ai.onnx')) continue;
    const [a, b] = node.input ?? [];
    if (!a || !b || node.input?.length !== 2 || index.constant(a) || index.constant(b)) continue;
    const ancestorsA = ancestors(index, a);
    const ancestorsB = ancestors(index, b);
    // The split point: the latest tensor both sides depend on.
    let split: string | undefined;
    let splitAt = -2;
    for (const t of ancestorsA) {
      if (!ancestorsB.has(t)) continue;
      const at = index.producers.get(t)?.index ?? -1;
      if (at > splitAt) {
        splitAt = at;
        split = t;
      }
    }
    if (split === undefined) continue;
    const before = ancestors(index, split);
    const own = (set: Set<string>) => [...set].filter((t) => !before.has(t));
    const convsA = countConvs(index, own(ancestorsA));
    const convsB = countConvs(index, own(ancestorsB));
    if (convsA === convsB) continue;
    const [branch, shortcut, branchConvs, shortcutConvs] =
      convsA > convsB ? [a, b, convsA, convsB] : [b, a, convsB, convsA];
    const info = inferChannels(index, branch, 'NCHW');
    if (info.rank !== 4 || info.channels === undefined) continue;
    found.push({
      add: node.name ?? '',
      branch,
      shortcut,
      channels: info.channels,
      branchConvs,
      shortcutConvs,
    });
  }
  return found;
}

/**
 * SE-ResNet in one call: puts an SE block on each residual branch, before its Add
 * (the paper's standard placement). `blockFor` picks the block for each branch
 * (return undefined to leave one alone); weights usually come from a se-core bundle.
 *
 * @example
 * ```ts
 * const bundle = decodeSEBundle(weightBytes);                    // 'layer1.0.se' → block, …
 * const moduleOf = (node: string) => node.split('/').at(-2);       // '/layer1/layer1.0/Add' → 'layer1.0'
 * const seResNet = insertSEResidual(resnetBytes, (r) => bundle.get(`${moduleOf(r.add)}.se`));
 * ```
 */
export function insertSEResidual(
  modelBytes: Uint8Array,
  blockFor: (
    branch: ResidualBranch,
    index: number,
  ) => SEBlock | { block: SEBlock; name?: string } | undefined,
  options: InsertSEOptions = {},
): Uint8Array {
  const insertions: SEInsertion[] = [];
  findResidualBranches(modelBytes).forEach((branch, i) => {
    const chosen = blockFor(branch, i);
    if (!chosen) return;
    const { block, name } = 'block' in chosen ? chosen : { block: chosen, name: undefined };
    insertions.push({ after: { tensor: branch.branch }, block, ...(name ? { name } : {}) });
  });
  return insertions.length === 0 ? modelBytes.slice() : insertSE(modelBytes, insertions, options);
}

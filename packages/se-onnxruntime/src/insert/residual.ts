import { type SEBlock, SESpecError } from '@seblock/se-core';
import { inferChannels } from '../proto/channels.js';
import { decodeModel } from '../proto/decode.js';
import { GraphIndex } from '../proto/graph-index.js';
import { blockName } from '../proto/names.js';
import { type GraphProto, isDefaultDomain } from '../proto/onnx.js';
import { type InsertSEOptions, insertSE, type SEInsertion } from './insert-se.js';
import { SplitSearch } from './split-search.js';

/** One residual addition: `add(branch, shortcut)`. */
export interface ResidualBranch {
  /** Name of the Add node. */
  readonly add: string;
  /**
   * The name an SE block on this branch gets unless `blockFor` gives one: the module path of
   * the Add plus `.se` (`layer1.0.se` for PyTorch's `/layer1/layer1.0/Add`), else `se`;
   * made unique on insertion (`_1`, `_2`, …) when taken. extractSE gives the block back by it.
   */
  readonly name: string;
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

/** '/layer1/layer1.0/Add' → 'layer1.0.se': the exporter's module scope of the node, else 'se'. */
function seNameFor(addNode: string): string {
  const scopes = addNode.split('/').filter(Boolean);
  const module = scopes.length >= 2 ? scopes[scopes.length - 2] : undefined;
  return module ? blockName(`${module}.se`) : 'se';
}

/**
 * Finds the residual additions of a CNN (ResNet BasicBlock/Bottleneck and the like):
 * Add nodes of two rank-4 activations where one side (the branch) has more Conv
 * layers since the paths split than the other (the shortcut: identity or a 1×1
 * projection). Adds whose sides are alike are skipped, and so are Adds whose sides
 * do not meet within {@link RESIDUAL_SEARCH_STEPS} steps back (which keeps the search
 * linear in the model's size).
 *
 * @example
 * ```ts
 * for (const r of findResidualBranches(resnetBytes)) console.log(r.add, r.name, r.channels);
 * // /layer1/layer1.0/Add layer1.0.se 64 …
 * ```
 */
export function findResidualBranches(modelBytes: Uint8Array): ResidualBranch[] {
  const model = decodeModel(modelBytes);
  const index = new GraphIndex(model.graph as GraphProto);
  const search = new SplitSearch(index);
  const found: ResidualBranch[] = [];
  for (const node of model.graph?.node ?? []) {
    if (node.opType !== 'Add' || !isDefaultDomain(node.domain)) continue;
    const [a, b] = node.input ?? [];
    if (!a || !b || node.input?.length !== 2 || index.constant(a) || index.constant(b)) continue;
    const split = search.find(a, b);
    if (!split || split.convsA === split.convsB) continue;
    const [branch, shortcut, branchConvs, shortcutConvs] =
      split.convsA > split.convsB
        ? [a, b, split.convsA, split.convsB]
        : [b, a, split.convsB, split.convsA];
    const info = inferChannels(index, branch, 'NCHW');
    if (info.rank !== 4 || info.channels === undefined) continue;
    const add = node.name ?? '';
    found.push({
      add,
      name: seNameFor(add),
      branch,
      shortcut,
      channels: info.channels,
      branchConvs,
      shortcutConvs,
    });
  }
  return found;
}

/** What `blockFor` may return for one branch. */
export type ResidualChoice =
  | SEBlock
  | { readonly block: SEBlock; readonly name?: string }
  | undefined;

/**
 * SE-ResNet in one call: puts an SE block on each residual branch, before its Add
 * (the paper's standard placement). `blockFor` picks the block for each branch
 * (return undefined to leave one alone); weights usually come from a se-core bundle,
 * and the blocks are named `branch.name` (`layer1.0.se`, …) unless you name them.
 * Always returns new bytes, even when nothing was inserted.
 *
 * @example
 * ```ts
 * const bundle = decodeSEBundle(weightBytes);   // 'layer1.0.se' → block, …
 * const seResNet = insertSEResidual(resnetBytes, (r) => bundle.get(r.name));
 * ```
 */
export function insertSEResidual(
  modelBytes: Uint8Array,
  blockFor: (branch: ResidualBranch, index: number) => ResidualChoice,
  options: InsertSEOptions = {},
): Uint8Array {
  if (typeof blockFor !== 'function')
    throw new SESpecError('blockFor', 'a function (branch, index) => block or undefined', blockFor);
  const insertions: SEInsertion[] = [];
  findResidualBranches(modelBytes).forEach((branch, i) => {
    const chosen = blockFor(branch, i);
    if (chosen === undefined || chosen === null) return;
    if (typeof chosen !== 'object')
      throw new SESpecError(
        `blockFor(branches[${i}])`,
        'an SEBlock, { block, name? } or undefined',
        chosen,
      );
    const { block, name } = 'block' in chosen ? chosen : { block: chosen, name: undefined };
    insertions.push({ after: { tensor: branch.branch }, block, name: name ?? branch.name });
  });
  // new Uint8Array copies (a Buffer's own slice() would return a view of the caller's bytes).
  return insertions.length === 0
    ? new Uint8Array(modelBytes)
    : insertSE(modelBytes, insertions, options);
}

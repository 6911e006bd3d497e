import { parseSESpec, type SEBlock, SEShapeError, validateSEWeights } from '@seblock/se-core';

/** Validates a block with se-core's own checks (spec fields, weight lengths, finiteness). */
export function checkBlock(block: SEBlock, field = 'block'): SEBlock {
  if (typeof block !== 'object' || block === null || !('spec' in block) || !('weights' in block)) {
    throw new SEShapeError(field, '{ spec, weights } (a se-core SEBlock)', typeof block);
  }
  const spec = parseSESpec(block.spec, `${field}.spec`);
  validateSEWeights(spec, block.weights, `${field}.weights`);
  return { spec, weights: block.weights };
}

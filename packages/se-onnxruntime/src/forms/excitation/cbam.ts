import { twoLayerForm } from './two-layer.js';

/**
 * Kind cbam (CBAM channel attention): the two-layer excitation of mlp, on the avg and the max
 * descriptors of squeeze `avg+max`; the block sums the two logits (block.ts).
 */
export const cbamForm = twoLayerForm('cbam');

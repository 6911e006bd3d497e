import type { Layout } from '@seblock/se-core';

/** How seBlock is called: its fused kernel or the composed TF.js ops, in which layout. */
export interface TfjsVariant {
  readonly fused: boolean;
  readonly layout: Layout;
}

/**
 * The named runs of a TF.js backend. NHWC (TF.js' own layout) first; both paths of seBlock
 * in both layouts, as the adapter's own golden harness ran them. Without a fused kernel
 * (tfjs-node's 'tensorflow') only the composed ops exist, and `fused` is not offered.
 */
export const TFJS_VARIANTS = {
  fused: { fused: true, layout: 'NHWC' },
  'fused NCHW': { fused: true, layout: 'NCHW' },
  composed: { fused: false, layout: 'NHWC' },
  'composed NCHW': { fused: false, layout: 'NCHW' },
} as const satisfies Record<string, TfjsVariant>;

export const COMPOSED_ONLY = {
  composed: TFJS_VARIANTS.composed,
  'composed NCHW': TFJS_VARIANTS['composed NCHW'],
} as const satisfies Record<string, TfjsVariant>;

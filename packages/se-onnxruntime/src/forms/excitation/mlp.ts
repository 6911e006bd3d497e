import { twoLayerForm } from './two-layer.js';

/** Kind mlp (the SE of Hu et al.): the two-layer excitation on one descriptor. */
export const mlpForm = twoLayerForm('mlp');

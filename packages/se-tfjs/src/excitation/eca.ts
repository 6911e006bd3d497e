import { channelConvKind } from './channel-conv.js';

/** ECA-Net (se-core kind `eca`): the k taps across channels, zero padded. */
export const ecaTfjs = channelConvKind('eca', 'zeros');

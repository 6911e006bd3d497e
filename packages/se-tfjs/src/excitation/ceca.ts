import { channelConvKind } from './channel-conv.js';

/** Circular ECA (se-core kind `ceca`, timm CecaModule): the k taps across channels, wrapped around. */
export const cecaTfjs = channelConvKind('ceca', 'circular');

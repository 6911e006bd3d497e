import { clipOf, emitClip } from './clip.js';
import type { ActivationForm } from './form.js';

/** relu6: Clip(z, 0, 6). */
export const relu6Form: ActivationForm = {
  emit: (sink, z) => emitClip(sink, z, 0, 6, 'act'),
  match(index, tensor) {
    const node = clipOf(index, tensor, 0, 6);
    return node ? { value: {}, input: node.input?.[0] as string, nodes: [node] } : undefined;
  },
};

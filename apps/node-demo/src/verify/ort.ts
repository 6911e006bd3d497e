import {
  accuracyOf,
  PRECISION_TOLERANCES,
  type SEBlock,
  SESpecError,
  seReference,
  seReferenceFloat32,
} from '@seblock/se-core';
import { createSESession } from '@seblock/se-onnxruntime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DigitSet } from '../data/mnist.js';
import { seLayersOf, seProbe } from '../model/se-layers.js';
import { batchOf } from '../train/train.js';

export interface BlockAgreement {
  readonly block: string;
  /** [N, H, W, C] of the activations fed to both runtimes. */
  readonly shape: readonly number[];
  readonly skipped?: undefined;
  /** Largest |y_ort − y_tfjs| over every element. */
  readonly maxAbsDifference: number;
  /** Largest |y_tfjs|, to read the difference against. */
  readonly maxAbs: number;
  /** The same difference in float32 ULPs of max(|y|, |x|) (se-core's accuracy model). */
  readonly worstUlp: number;
  /**
   * What se-core allows between the two on this input: twice its float32 tolerance (4 ULPs +
   * 2 × what a naive float32 evaluation loses here), as each runtime may be that far from the
   * exact answer. A block with large, cancelling logits (CBAM without biases) earns more.
   */
  readonly allowedUlp: number;
}

/** Twice se-core's float32 tolerance for `block` on x (NHWC): the bound between two runtimes. */
function pairTolerance(block: SEBlock, x: Float32Array, shape: readonly number[]): number {
  const exact = seReference(block.spec, block.weights, x, shape, 'NHWC');
  const naive = accuracyOf(seReferenceFloat32(block, x, shape, 'NHWC'), exact, x).worstUlp;
  const { baseUlps, naiveFactor } = PRECISION_TOLERANCES.float32;
  return 2 * (baseUlps + naiveFactor * naive);
}

/** A block se-onnxruntime refused to build (an excitation kind it does not write), with its reason. */
export interface BlockSkipped {
  readonly block: string;
  readonly shape: readonly number[];
  /** se-onnxruntime's own SESpecError message. */
  readonly skipped: string;
}

/**
 * Runs the activations that reach each SE block of the trained model (the first `count`
 * held-out images) through onnxruntime-node, with the block's weights read back from the
 * bundle file, and compares with what the TF.js layer computed inside the model.
 */
export async function compareWithOnnxRuntime(
  model: tfl.LayersModel,
  blocks: ReadonlyMap<string, SEBlock>,
  set: DigitSet,
  count: number,
): Promise<(BlockAgreement | BlockSkipped)[]> {
  const layers = seLayersOf(model);
  const probe = seProbe(model);
  const indices = Array.from({ length: Math.min(count, set.count) }, (_, i) => i);
  const [images, labels] = batchOf(set, indices);
  const outputs = probe.predict(images) as tf.Tensor[];
  const results: (BlockAgreement | BlockSkipped)[] = [];
  try {
    for (const [k, layer] of layers.entries()) {
      const input = outputs[2 * k] as tf.Tensor4D;
      const output = outputs[2 * k + 1] as tf.Tensor4D;
      const block = blocks.get(layer.name);
      if (!block) throw new Error(`the bundle has no block "${layer.name}"`);
      const x = (await input.data()) as Float32Array;
      const yTfjs = (await output.data()) as Float32Array;
      // ONNX is channels-first; se-onnxruntime builds the same block for NHWC on request.
      let session: Awaited<ReturnType<typeof createSESession>>;
      try {
        session = await createSESession(block, { runtime: 'node', layout: 'NHWC' });
      } catch (error) {
        // A kind the adapter cannot write yet is reported, not hidden; anything else is a bug.
        if (!(error instanceof SESpecError)) throw error;
        results.push({ block: layer.name, shape: input.shape, skipped: error.message });
        continue;
      }
      let yOrt: Float32Array;
      try {
        yOrt = await session.runArray(x, input.shape);
      } finally {
        await session.release();
      }
      let maxAbsDifference = 0;
      let maxAbs = 0;
      for (let i = 0; i < yOrt.length; i++) {
        maxAbsDifference = Math.max(
          maxAbsDifference,
          Math.abs((yOrt[i] as number) - (yTfjs[i] as number)),
        );
        maxAbs = Math.max(maxAbs, Math.abs(yTfjs[i] as number));
      }
      results.push({
        block: layer.name,
        shape: input.shape,
        maxAbsDifference,
        maxAbs,
        worstUlp: accuracyOf(yOrt, yTfjs, x).worstUlp,
        allowedUlp: pairTolerance(block, x, input.shape),
      });
    }
  } finally {
    tf.dispose([images, labels, ...outputs]);
  }
  return results;
}

// What the Node and web demos share to classify an image with a PyTorch checkpoint: decoding,
// timm's preprocessing, the class names, the seeded checkpoint and the agreement maths. The
// networks themselves come from @seblock/se-tfjs and @seblock/se-onnxruntime.
export {
  agreementPairs,
  type BackendLogits,
  comparePair,
  type PairAgreement,
} from './agreement/compare.js';
export { type RankedClass, softmax, topK } from './agreement/ranking.js';
export { pairwiseBoundUlps, unexplainedTopKDifferences } from './agreement/tolerance.js';
export {
  isSeededConfig,
  SEEDED_SEED,
  SEEDED_TAG,
  seededCheckpoint,
  seededConfig,
} from './checkpoint/seeded.js';
export { decodeImage, imageFormatOf } from './image/decode.js';
export { ImageDecodeError } from './image/errors.js';
export {
  centreCrop,
  INTERPOLATIONS,
  type Interpolation,
  resizeImage,
} from './image/resample.js';
export { type RgbImage, toRgb } from './image/rgb-image.js';
export { classNames, IMAGENET_CLASSES } from './labels.js';
export {
  IMAGENET_MEAN,
  IMAGENET_STD,
  type PreprocessConfig,
  preprocessConfig,
  TIMM_DEFAULTS,
} from './preprocess/config.js';
export { normalise, type Preprocessed, preprocess } from './preprocess/preprocess.js';
export { renderSample, SAMPLE_HEIGHT, SAMPLE_WIDTH } from './sample/render.js';

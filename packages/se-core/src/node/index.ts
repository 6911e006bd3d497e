// @seblock/se-core/node: file helpers for Node (node:fs). Kept out of the main
// entry so that se-core itself stays free of Node built-ins and runs in browsers.

export { pathOf, writeFileAtomic } from './atomic-write.js';
export {
  DEFAULT_GOLDEN_DIR,
  GOLDEN_INDEX,
  type GoldenCaseEntry,
  listGoldenCases,
  readGoldenCaseFile,
} from './golden-files.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  type ReadFileOptions,
  readBytes,
} from './read-file.js';
export {
  importSEBlocksFromFile,
  readSEBundleFile,
  readSEWeightsFile,
  writeSEBundleFile,
  writeSEWeightsFile,
} from './weight-files.js';

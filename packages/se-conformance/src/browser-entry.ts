// @seblock/se-conformance/browser: the parts of the suite that run in a web page
// (no Node built-ins, no playwright, no onnxruntime-node): the backend list, the
// runners over the adapters' public APIs, runSuite, the comparisons and the HTML report.
export {
  BACKEND_CATALOG,
  BACKEND_VARIANTS,
  BACKENDS,
  backendsIn,
  type CatalogEntry,
  selectBackends,
  variantsOf,
} from './backends/catalog.js';
export { createOrtRunner, type OrtRunnerOptions } from './backends/ort-runner.js';
export { ORT_VARIANTS, type OrtBackendKey, type OrtVariant } from './backends/ort-variants.js';
export { createTfjsRunner } from './backends/tfjs-runner.js';
export { TFJS_VARIANTS, type TfjsVariant } from './backends/tfjs-variants.js';
export {
  type BackendDescriptor,
  type BackendId,
  type BackendKey,
  type BackendRunner,
  type BrowserBackendKey,
  CaseUnsupportedError,
  type ConformanceCase,
  type Detection,
  type NodeBackendKey,
  type RuntimeKind,
} from './backends/types.js';
export { compareBackends, compareWithExpected, type ErrorMetrics } from './compare/metrics.js';
export {
  type ConformanceTolerance,
  conformanceTolerance,
  type ToleranceBasis,
} from './compare/tolerance.js';
export { assembleReport, TOLERANCE_RULE } from './report/assemble.js';
export { renderHtml } from './report/html.js';
export { renderMatrix, type TerminalOptions } from './report/terminal.js';
export type {
  BackendReport,
  CaseReport,
  CellResult,
  CellStatus,
  PairwiseResult,
  SuiteReport,
} from './results.js';
export {
  type BackendProvider,
  comparePairs,
  type ProgressEvent,
  type RunOptions,
  type RunResult,
  runSuite,
} from './suite.js';

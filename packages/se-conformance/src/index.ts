// @seblock/se-conformance: one suite, every backend, the same SE block outputs.
export { BACKENDS, selectBackends } from './backends/catalog.js';
export {
  type BackendDescriptor,
  type BackendId,
  type BackendRunner,
  CaseUnsupportedError,
  type ConformanceCase,
  type Detection,
  type RuntimeKind,
} from './backends/types.js';
export { CaseLoadError, defaultCasesDirectory, loadCases } from './cases/load.js';
export { compareBackends, compareWithExpected, type ErrorMetrics } from './compare/metrics.js';
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
export { type ConformanceOptions, ConformanceUsageError, runConformance } from './run.js';
export {
  type BackendProvider,
  comparePairs,
  type ProgressEvent,
  type RunOptions,
  type RunResult,
  runSuite,
} from './suite.js';

// @seblock/se-conformance: one suite, every backend, the same SE block outputs.
// Everything that also runs in a web page, plus the Node parts (CLI run, case files).
export * from './browser-entry.js';
export { CaseLoadError, defaultCasesDirectory, loadCases } from './cases/load.js';
export { type ConformanceOptions, ConformanceUsageError, runConformance } from './run.js';

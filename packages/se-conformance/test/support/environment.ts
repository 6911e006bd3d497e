// Where the suite runs: set once per vitest project by its setup file (test/setup/node.ts or
// test/setup/browser.ts), as tfjs' setup_test.ts sets its test environments. Test files
// never import a runtime's loaders themselves, so one file runs under both projects.
import type {
  BackendKey,
  ConformanceCase,
  Detection,
  RuntimeKind,
} from '../../src/browser-entry.js';

export interface TestEnvironment {
  readonly runtime: RuntimeKind;
  /** Creates a catalog row's runner in this runtime, or says why it cannot run here. */
  detect(key: BackendKey): Promise<Detection>;
  /** se-core's golden cases (read from the repository). */
  loadCases(): Promise<ConformanceCase[]>;
}

const SLOT = Symbol.for('@seblock/se-conformance/test-environment');
type Holder = { [SLOT]?: TestEnvironment };

export function setTestEnvironment(environment: TestEnvironment): void {
  (globalThis as Holder)[SLOT] = environment;
}

export function testEnvironment(): TestEnvironment {
  const environment = (globalThis as Holder)[SLOT];
  if (!environment)
    throw new Error(
      'no test environment: the vitest project must list test/setup/node.ts or test/setup/browser.ts in setupFiles',
    );
  return environment;
}

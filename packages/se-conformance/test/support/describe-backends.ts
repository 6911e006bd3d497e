// One suite, every backend (as tfjs' describeWithFlags): a test file declares its tests once,
// and they run on every row of the catalog that runs in the current vitest project (Node or
// Chromium), once per named variant of the backend. A backend that cannot initialise here is
// skipped with its reason printed, never dropped silently.
import { afterAll, beforeAll, describe, type TestContext } from 'vitest';
import {
  type BackendRunner,
  backendsIn,
  type CatalogEntry,
  type ConformanceCase,
  type Detection,
  variantsOf,
} from '../../src/browser-entry.js';
import { testEnvironment } from './environment.js';

export interface BackendSuite {
  readonly backend: CatalogEntry;
  /** The backend's variants (catalog's BACKEND_VARIANTS), default first: one test each, say. */
  readonly variants: readonly [string, ...string[]];
  /**
   * The backend's runner, inside a test. When the backend is unavailable here, or does not
   * offer `variant` (tfjs-node has no fused kernel), the test is skipped with the reason printed.
   */
  runner(context: TestContext, variant?: string): BackendRunner;
  /** The golden cases, loaded once per file. */
  cases(): readonly ConformanceCase[];
}

let casesOnce: Promise<ConformanceCase[]> | undefined;

/** se-core's golden cases in this runtime, read once per test file. */
export function goldenCases(): Promise<ConformanceCase[]> {
  casesOnce ??= testEnvironment().loadCases();
  return casesOnce;
}

/**
 * Declares `title` once per catalog backend of this runtime; `tests` declares the tests.
 *
 * @example
 * ```ts
 * describeBackends('golden cases', ({ variants, runner, cases }) => {
 *   for (const variant of variants)
 *     it(variant, async (context) => { const y = await runner(context, variant).run(cases()[0], variant); });
 * });
 * ```
 */
export function describeBackends(title: string, tests: (suite: BackendSuite) => void): void {
  const environment = testEnvironment();
  for (const backend of backendsIn(environment.runtime)) {
    describe(`${title} on ${backend.key}`, () => {
      let detection: Detection = { available: false, reason: 'not detected yet' };
      let cases: ConformanceCase[] = [];
      beforeAll(async () => {
        cases = await goldenCases();
        detection = await environment.detect(backend.key);
        if (!detection.available)
          console.log(`[se-conformance] ${backend.key}: SKIPPED, ${detection.reason}`);
      }, 120_000);
      afterAll(async () => {
        if (detection.available) await detection.runner.dispose();
      });
      tests({
        backend,
        variants: variantsOf(backend.key),
        cases: () => cases,
        runner(context, variant) {
          if (!detection.available) {
            context.skip(`${backend.key}: ${detection.reason}`);
            throw new Error('unreachable: context.skip throws');
          }
          if (variant !== undefined && !detection.runner.variants.includes(variant)) {
            const reason = `${backend.key} does not offer "${variant}" here (it has: ${detection.runner.variants.join(', ')})`;
            console.log(`[se-conformance] SKIPPED, ${reason}`);
            context.skip(reason);
          }
          return detection.runner;
        },
      });
    });
  }
}

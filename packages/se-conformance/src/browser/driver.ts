import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGoldenCase } from '@seblock/se-core';
import {
  type BackendRunner,
  type BrowserBackendKey,
  CaseUnsupportedError,
  type ConformanceCase,
  type Detection,
} from '../backends/types.js';
import type { BackendProvider } from '../suite.js';
import { base64ToFloat32 } from './base64.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumUnavailableReason } from './chromium.js';
import { CASES_PREFIX, type ConformancePageApi, ORT_WASM_PREFIX, PAGE_GLOBAL } from './protocol.js';
import { startStaticServer } from './server.js';

type Api = ConformancePageApi;

/** The page bundled by vite.browser.config.ts: dist/page, beside this module's dist/browser. */
const PAGE_DIRECTORY = fileURLToPath(new URL('../page/', import.meta.url));

/** The page's import map loads this from the installed onnxruntime-web (index.html). */
const ORT_ALL_BUNDLE = 'ort.all.bundle.min.mjs';

/**
 * The installed onnxruntime-web's dist/ (its ESM bundle and .wasm files, served as they are so
 * its JavaScript and wasm are always one version), or why the page cannot start without it.
 */
function ortWebDirectory(): { directory: string } | { missing: string } {
  let directory: string;
  try {
    // The wasm file is in the package's exports (the bundle is not): it lives beside the bundle.
    directory = dirname(
      fileURLToPath(import.meta.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')),
    );
  } catch {
    return {
      missing:
        'onnxruntime-web is not installed: the browser page loads it (an optional peer of @seblock/se-conformance; install it to run --browser)',
    };
  }
  if (!existsSync(join(directory, ORT_ALL_BUNDLE)))
    return {
      missing: `onnxruntime-web at ${directory} has no ${ORT_ALL_BUNDLE}: install a version that ships it (1.30 does)`,
    };
  return { directory };
}

/** A provider that skips every backend for one reason. */
const skipAll = (reason: string) => ({
  version: 'none',
  close: async () => {},
  detect: async (): Promise<Detection> => ({ available: false, reason }),
});

/**
 * Launches Debian Chromium (playwright-core, the flags in chromium.ts), serves
 * the conformance page and the cases on 127.0.0.1, and returns a provider whose
 * runners execute inside the page. When Chromium is missing every browser
 * backend is skipped with that reason.
 */
export async function launchBrowserProvider(
  cases: readonly ConformanceCase[],
): Promise<BackendProvider & { close(): Promise<void>; version: string }> {
  const missing = chromiumUnavailableReason();
  if (missing) return skipAll(missing);
  const ortWeb = ortWebDirectory();
  if ('missing' in ortWeb) return skipAll(ortWeb.missing);
  const caseBytes = new Map(cases.map((c) => [c.id, encodeGoldenCase(c)]));
  const server = await startStaticServer([
    { prefix: CASES_PREFIX, lookup: (name) => caseBytes.get(name) },
    { prefix: ORT_WASM_PREFIX, directory: ortWeb.directory },
    { prefix: '/', directory: PAGE_DIRECTORY },
  ]);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    headless: true,
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    try {
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    } catch {
      throw new Error(
        `the conformance page did not start: ${pageErrors.join('; ') || 'no error reported'}`,
      );
    }
    const call = <K extends keyof Api>(method: K, ...args: Parameters<Api[K]>) =>
      page.evaluate(
        ([global, m, a]) =>
          (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)[
            global
          ]?.[m]?.(...a),
        [PAGE_GLOBAL, method, args] as const,
      ) as Promise<Awaited<ReturnType<Api[K]>>>;
    const version = `${browser.version()} (${await call('userAgent')})`;
    return {
      version,
      async close() {
        await browser.close();
        await server.close();
      },
      async detect(backend): Promise<Detection> {
        const key = backend.key as BrowserBackendKey;
        const found = await call('detect', key);
        if (!found.available) return found;
        const runner: BackendRunner = {
          precision: found.precision,
          versions: { ...found.versions, chromium: browser.version() },
          variants: found.variants,
          run: async (testCase, variant) => {
            const result = await call('run', key, testCase.id, variant);
            if ('unsupported' in result) throw new CaseUnsupportedError(result.unsupported);
            return base64ToFloat32(result.y);
          },
          dispose: async () => {},
        };
        return { available: true, runner };
      },
    };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
}

// What the Node driver and the conformance page say to each other.

import type { PrecisionClass } from '@seblock/se-core';
import type { BrowserBackendKey } from '../backends/types.js';

export type PageDetection =
  | {
      readonly available: true;
      readonly precision: PrecisionClass;
      readonly versions: Record<string, string>;
      readonly variants: readonly [string, ...string[]];
    }
  | { readonly available: false; readonly reason: string };

/** Installed on `window` by the page once its modules have loaded. */
export interface ConformancePageApi {
  detect(key: BrowserBackendKey): Promise<PageDetection>;
  /**
   * Runs case `caseId` (fetched from /cases/<caseId>) on backend `key` (its `variant`, or
   * its default): y as base64
   * float32 bytes (NCHW), or why the backend cannot express the case. (Error
   * classes do not survive page.evaluate, so "unsupported" travels as data.)
   */
  run(
    key: BrowserBackendKey,
    caseId: string,
    variant: string | undefined,
  ): Promise<{ readonly y: string } | { readonly unsupported: string }>;
  userAgent(): string;
}

export const PAGE_GLOBAL = '__seConformance';
export const ORT_WASM_PREFIX = '/ort/';
export const TFJS_WASM_PREFIX = '/tfjs-wasm/';
export const CASES_PREFIX = '/cases/';

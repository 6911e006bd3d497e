import { decodeGoldenCase } from '@seblock/se-core';
import { commands } from 'vitest/browser';
import type { BrowserBackendKey, ConformanceCase } from '../../src/backends/types.js';
import { detectInPage } from '../../src/browser/loaders.js';
import { setTestEnvironment } from '../support/environment.js';

// Files come through vitest's server-side readFile (paths relative to packages/se-conformance).
async function readBytes(path: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(path, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function loadCases(): Promise<ConformanceCase[]> {
  const index = JSON.parse(await commands.readFile('../se-core/golden/index.json')) as {
    cases: { file: string }[];
  };
  return Promise.all(
    index.cases.map(async ({ file }) => ({
      ...decodeGoldenCase(await readBytes(`../se-core/golden/${file}`)),
      id: file.replace(/\.safetensors$/, ''),
    })),
  );
}

setTestEnvironment({
  runtime: 'browser',
  // describeBackends asks only for the catalog's browser rows here.
  detect: (key) => detectInPage(key as BrowserBackendKey),
  loadCases,
});

// Builds the demo with Vite once and serves it with `vite preview` on 127.0.0.1 for every
// end-to-end test file of the project (two builds writing one dist/ at once would collide).
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { chromiumUnavailableReason } from '../../../../tooling/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The preview server's URL; '' when no browser can run (the tests skip). */
    webDemoUrl: string;
  }
}

const APP = fileURLToPath(new URL('../../', import.meta.url));

export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  if (chromiumUnavailableReason()) {
    project.provide('webDemoUrl', '');
    return undefined;
  }
  const started = performance.now();
  await build({ root: APP, logLevel: 'warn' });
  const server = await preview({
    root: APP,
    logLevel: 'warn',
    preview: { port: 0, host: '127.0.0.1' },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview gave no URL');
  project.provide('webDemoUrl', url);
  process.stdout.write(
    `[web-demo] built and serving at ${url} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return () => server.close();
}

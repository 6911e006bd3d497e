// Serves a built page on 127.0.0.1 and opens it in Debian's Chromium through
// playwright-core (this tool's dependency; no browser is ever downloaded).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** A static file server for `root` on an OS-chosen port of 127.0.0.1. */
export async function serveDirectory(root) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Opens `url` in headless Chromium, waits for body[data-status] to leave "running",
 * and returns { status, text, pageErrors, console } with #result's text.
 */
export async function readPageResult(url, { executablePath, args, timeoutMs = 120_000 }) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: [...args], headless: true });
  try {
    const page = await browser.newPage();
    const pageErrors = [];
    const consoleLines = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('requestfailed', (request) =>
      pageErrors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
    );
    await page.goto(url);
    try {
      await page.waitForSelector('body:not([data-status="running"])', { timeout: timeoutMs });
    } catch {
      const error = new Error(`the page did not finish within ${timeoutMs / 1000}s`);
      error.tail = [...pageErrors, ...consoleLines].join('\n');
      throw error;
    }
    return {
      status: await page.getAttribute('body', 'data-status'),
      text: await page.textContent('#result'),
      pageErrors,
      console: consoleLines,
      browserVersion: browser.version(),
    };
  } finally {
    await browser.close();
  }
}

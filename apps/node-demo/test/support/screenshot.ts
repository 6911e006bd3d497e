import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../tooling/chromium.js';
import { terminalPage } from './ansi-html.js';

/** Renders terminal output (ANSI colours included) with Chromium into a PNG. */
export async function screenshotTerminal(text: string, title: string, path: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    headless: true,
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1000, height: 400 },
      deviceScaleFactor: 1,
    });
    await page.setContent(terminalPage(text, title));
    const width = await page.evaluate(() => document.querySelector('pre')?.scrollWidth ?? 1000);
    await page.setViewportSize({ width: Math.min(1400, width + 30), height: 400 });
    await page.locator('.window').screenshot({ path });
  } finally {
    await browser.close();
  }
}

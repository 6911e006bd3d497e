// How SE Blocks launches a browser: Debian's Chromium (or SEBLOCK_CHROMIUM), never
// a downloaded build. The repository's browser tests use these same settings
// (tooling/chromium.ts re-exports this file), so CLI and tests never drift.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH: string = process.env.SEBLOCK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', // CI and containers run as root
  '--disable-gpu', // no GPU here: WebGL runs on SwiftShader
  '--enable-unsafe-webgpu', // exposes WebGPU (Dawn on SwiftShader when there is no GPU)
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps dialling Google services that a closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why no browser can be launched here, or undefined when Chromium is present. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `Chromium not found at ${CHROMIUM_PATH} (on Debian: apt-get install chromium; elsewhere set SEBLOCK_CHROMIUM to a Chromium or Chrome binary)`;
}

// The one place that says how this project launches a browser: Debian's Chromium,
// never a downloaded build (the machines reach only the npm registry and apt).
// Used by vitest browser projects, the conformance CLI's --browser and the demo e2e tests.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.SEBLOCK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu', // no GPU here: WebGL runs on SwiftShader
  '--enable-unsafe-webgpu', // makes WebGPU available (on SwiftShader/Dawn's CPU adapter)
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps dialling Google services the closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run here, or undefined when Chromium is present. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set SEBLOCK_CHROMIUM)`;
}

import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly logicalCores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  /** The L3 (or last-level) cache size when Linux says, since a 25 MB x may or may not fit. */
  readonly lastLevelCache?: string;
}

function lastLevelCache(): string | undefined {
  try {
    const base = '/sys/devices/system/cpu/cpu0/cache';
    let best: { level: number; size: string } | undefined;
    for (let i = 0; i < 8; i++) {
      try {
        const level = Number(readFileSync(`${base}/index${i}/level`, 'utf8'));
        const size = readFileSync(`${base}/index${i}/size`, 'utf8').trim();
        if (!best || level > best.level) best = { level, size };
      } catch {
        break;
      }
    }
    return best ? `L${best.level} ${best.size}` : undefined;
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const cache = lastLevelCache();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    logicalCores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...(cache ? { lastLevelCache: cache } : {}),
  };
}

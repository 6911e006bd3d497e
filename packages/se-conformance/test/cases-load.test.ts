import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseLoadError, loadCases } from '../src/cases/load.js';

const dir = mkdtempSync(join(tmpdir(), 'se-conformance-cases-'));
const fifo = join(dir, 'stuck.safetensors');
afterAll(() => {
  // Should a reader be stuck on the FIFO (the bug this guards against), let it end.
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody reads it.
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('--cases reads case files with se-core readBytes', () => {
  it.skipIf(process.platform === 'win32')(
    'a FIFO among the cases is refused by kind, at once',
    async () => {
      execFileSync('mkfifo', [fifo]);
      const error = await loadCases(dir).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(CaseLoadError);
      expect(error?.message).toMatch(/case stuck\.safetensors: .*received a FIFO/);
    },
    10_000,
  );
});

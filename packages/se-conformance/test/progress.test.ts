import { describe, expect, it } from 'vitest';
import { createProgressBar } from '../src/cli/progress.js';

/** A stand-in for process.stderr that records what is written. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 80, write: (text: string) => writes.push(text) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

function run(isTTY: boolean, total = 100) {
  const { stream, writes } = fakeStream(isTTY);
  const bar = createProgressBar(stream);
  for (let done = 1; done <= total; done++) bar.update({ done, total, label: `case ${done}` });
  const duringRun = writes.length;
  bar.finish();
  return { writes, duringRun };
}

describe('the progress bar', () => {
  it('prints nothing while running when stderr is not a terminal, then one final line', () => {
    const { writes, duringRun } = run(false);
    expect(duringRun).toBe(0);
    expect(writes).toEqual(['progress: 100/100 steps done\n']);
  });

  it('prints nothing at all when nothing ran', () => {
    const { stream, writes } = fakeStream(false);
    createProgressBar(stream).finish();
    expect(writes).toEqual([]);
  });

  it('redraws one line in place on a terminal', () => {
    const { writes, duringRun } = run(true, 3);
    expect(duringRun).toBe(3);
    expect(writes.slice(0, 3).every((w) => w.startsWith('\r') && !w.includes('\n'))).toBe(true);
    expect(writes[2]).toContain('100% 3/3 case 3');
    expect(writes[3]).toBe('\n');
  });
});

// Step headings, timings and the failure report. Every step either finishes with
// its time printed or throws; the first throw ends the run with that step named.
import { lastLines } from './exec.mjs';

const started = performance.now();
const timings = [];

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

export class StepFailure extends Error {
  constructor(step, cause) {
    super(`step "${step}" failed: ${cause?.message ?? cause}`);
    this.name = 'StepFailure';
    this.step = step;
    this.cause = cause;
  }
}

/** Prints a heading, runs `body`, prints its time; wraps any error with the step's name. */
export async function step(title, body) {
  const at = performance.now();
  console.log(`\n━━ ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`);
  try {
    const result = await body();
    const ms = performance.now() - at;
    timings.push({ title, ms, ok: true });
    console.log(`   ✔ ${title} (${seconds(ms)})`);
    return result;
  } catch (error) {
    const ms = performance.now() - at;
    timings.push({ title, ms, ok: false });
    throw error instanceof StepFailure ? error : new StepFailure(title, error);
  }
}

/** One line of what a step checked, so the log says what was proven. */
export function note(text) {
  console.log(`   · ${text}`);
}

export function printFailure(error) {
  if (error.alreadyShown) {
    console.error(`\n✖ release:verify FAILED: ${error.message}`);
    return;
  }
  console.error(`\n✖ release:verify FAILED${error.step ? ` in step "${error.step}"` : ''}`);
  const cause = error.cause ?? error;
  console.error(`  ${cause.message ?? cause}`);
  if (cause.tail) console.error(`  last lines of its output:\n${lastLines(cause.tail)}`);
  // A plain Error is a check that failed and says why; anything else (TypeError…) is a
  // bug in this tool or an unexpected crash, where the stack is what helps.
  else if (cause.stack && !['Error', 'CommandError'].includes(cause.name))
    console.error(lastLines(cause.stack, 12));
}

export function printTimings() {
  console.log(`\n━━ timings ${'━'.repeat(64)}`);
  for (const { title, ms, ok } of timings) {
    console.log(`   ${ok ? '✔' : '✖'} ${seconds(ms).padStart(7)}  ${title}`);
  }
  console.log(`     ${seconds(performance.now() - started).padStart(7)}  total`);
}

// Runs commands for the verify steps. Output goes to a log file (installs and builds
// are long and only interesting when they fail); a failure carries the command, its
// exit status and the tail of that log, so the step that failed can show why.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Children still running, so cleanup can end them on failure or on a signal. */
const running = new Set();

export class CommandError extends Error {
  constructor(command, detail, tail) {
    super(`\`${command}\` ${detail}`);
    this.name = 'CommandError';
    this.tail = tail;
  }
}

/**
 * Runs `command args` in `cwd`. Resolves with its stdout when it exits 0; rejects
 * with a CommandError (exit status + last lines of output) otherwise.
 * `echo: true` also streams the output to our stdout, for checks whose lines are
 * the report itself. `allowFailure: true` resolves { code, output } whatever the status.
 */
export function run(
  command,
  args,
  { cwd, env, log, echo = false, allowFailure = false, timeoutMs = 10 * 60_000 },
) {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const logStream = log ? createWriteStream(log, { flags: 'a' }) : undefined;
    logStream?.write(`\n$ ${shown}\n  (in ${cwd})\n`);
    // detached: the child leads its own process group, so stopping it also stops
    // what it started (pnpm -> turbo -> tsc, npx -> node -> chromium).
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let output = '';
    let tail = '';
    const keep = (chunk) => {
      if (allowFailure) output += chunk;
      tail = (tail + chunk).slice(-12_000);
      logStream?.write(chunk);
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      keep(chunk);
    });
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      keep(`\n[release-verify] killed after ${timeoutMs / 1000}s\n`);
      stopChild(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      logStream?.end();
      reject(new CommandError(shown, `could not start: ${error.message}`, tail));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      logStream?.end();
      if (allowFailure) resolve({ code, output });
      else if (code === 0) resolve(stdout);
      else
        reject(
          new CommandError(
            shown,
            signal ? `was stopped by ${signal}` : `exited with status ${code}`,
            tail,
          ),
        );
    });
  });
}

function stopChild(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Ends every command still running (their whole process groups). */
export function stopAllCommands() {
  for (const child of running) stopChild(child);
}

/** The last `lines` lines of a text, indented, for failure reports. */
export function lastLines(text, lines = 40) {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    │ ${line}`)
    .join('\n');
}

export async function readJson(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

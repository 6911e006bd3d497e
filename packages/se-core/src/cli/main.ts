#!/usr/bin/env node
// The `se-core` bin. All logic lives in run.ts so tests can call it in-process;
// this file only binds it to the process.
import { processIO } from './output.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), processIO());
// exitCode rather than exit(): lets pending stdout writes to a pipe finish.
process.exitCode = code;

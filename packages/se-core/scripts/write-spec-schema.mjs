#!/usr/bin/env node
// Writes schema/se-spec.v2.schema.json from the excitation kinds (specJSONSchema
// in src/spec/schema.ts), then lets Biome format it. Run after `pnpm build`:
//   node packages/se-core/scripts/write-spec-schema.mjs
// test/schema.test.ts fails while the committed file differs from the kinds.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specJSONSchema } from '../dist/index.js';

const target = fileURLToPath(new URL('../schema/se-spec.v2.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(specJSONSchema(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', target], { stdio: 'inherit' });
console.log(`wrote ${target}`);

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSEBundle, kindOfSpec, SESpecError } from '@seblock/se-core';
import { buildSEModel } from '@seblock/se-onnxruntime';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../src/demo.js';
import { NET_NAMES } from '../src/model/build.js';
import { CLI } from './support/paths.js';
import { runCli } from './support/run-cli.js';

// `se-demo --kind K`: the same demo with the other excitation kinds of se-core, on a short
// configuration. What each net adds, how close onnxruntime must be and what it may refuse come
// from se-core and se-onnxruntime themselves, not from numbers written here.

const built = existsSync(CLI);
const ARGS = ['--epochs', '1', '--train', '1000', '--test', '500', '--ort-images', '32'];

/** Why se-onnxruntime cannot build this block (a kind it does not write), or undefined. */
function ortRefusal(block: Parameters<typeof buildSEModel>[0]): string | undefined {
  try {
    buildSEModel(block, { layout: 'NHWC' });
    return undefined;
  } catch (error) {
    if (error instanceof SESpecError) return error.message;
    throw error;
  }
}

describe.skipIf(!built)('se-demo --kind', () => {
  it.each(['ese', 'eca', 'ceca', 'cbam'] as const)(
    '%s: trains, exports and checks blocks of that kind',
    async (kind) => {
      const out = await mkdtemp(join(tmpdir(), `node-demo-${kind}-`));
      try {
        const run = await runCli([...ARGS, '--kind', kind, '--out', out, '--no-color']);
        if (run.code !== 0)
          throw new Error(`se-demo exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
        process.stdout.write(`[node-demo] se-demo --kind ${kind}: ${run.seconds.toFixed(1)} s\n`);
        const summary = JSON.parse(
          await readFile(join(out, 'summary.json'), 'utf8'),
        ) as DemoSummary;
        expect(summary.kind).toBe(kind);
        const [net, plain] = summary.nets;
        expect(net.name).toBe(NET_NAMES[kind]);
        expect(run.stdout).toContain(`${NET_NAMES[kind]} (excitation kind ${kind})`);
        // Ten classes: chance is 10%.
        expect(net.heldOutAccuracy).toBeGreaterThan(0.2);

        const blocks = decodeSEBundle(
          new Uint8Array(await readFile(join(out, 'se-blocks.safetensors'))),
        );
        expect([...blocks.keys()]).toEqual(['layer1_se', 'layer2_se']);
        let added = 0;
        for (const { spec } of blocks.values()) {
          expect(spec.excitation.kind).toBe(kind);
          added += kindOfSpec(spec).cost(spec.excitation, spec.channels).params;
        }
        // The twins differ by the SE blocks' weights only, as se-core counts them.
        expect(net.parameters - plain.parameters).toBe(added);

        for (const agreement of summary.onnxruntime) {
          const refusal = ortRefusal(
            blocks.get(agreement.block) as Parameters<typeof buildSEModel>[0],
          );
          if (refusal !== undefined) {
            // Reported with se-onnxruntime's own reason, in the summary and in the table.
            expect(agreement.skipped).toBe(refusal);
            expect(run.stdout).toContain(refusal);
            continue;
          }
          if (agreement.skipped !== undefined)
            throw new Error(`${agreement.block}: ${agreement.skipped}`);
          // Within what se-core allows between two float32 runtimes on this input (CBAM's large,
          // cancelling logits without biases earn more than the SE MLP's).
          expect(agreement.worstUlp, agreement.block).toBeLessThanOrEqual(agreement.allowedUlp);
        }

        const last = summary.excitations.at(-1);
        expect(last?.mean).toHaveLength(10);
        // A sigmoid gate with gain 1: every mean excitation in [0, 1].
        for (const e of last?.mean.flat() ?? []) expect(e >= 0 && e <= 1).toBe(true);
        expect(run.stdout).toContain('Mean excitation of layer2_se per digit');
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});

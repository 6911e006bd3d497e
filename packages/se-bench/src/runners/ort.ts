import { SESpecError } from '@seblock/se-core';
import { createSESession, type SessionOptions } from '@seblock/se-onnxruntime';
import { blockFor } from '../cases.js';
import { checkOutput } from '../check.js';
import { type Form, NAIVE, ORT_FORMS } from '../forms.js';
import type { Measurement, Runner, Skipped } from '../measurement.js';
import { seBytes } from '../measurement.js';
import { measureInterleaved, type Timing } from '../timing.js';
import { copyBaseline } from './memcpy.js';
import { timeInsideRuntime } from './ort-profile.js';

// ONNX Runtime in Node: onnxruntime-node's CPU EP and onnxruntime-web's wasm EP, one thread
// each (like PyTorch's anchor). `ours` is what createSESession builds by default for the EP;
// every other op form and optimisation level is a `form` row, so the fastest exact form per
// EP can be read off the table. Timing includes what a caller pays: the input tensor, the run
// and the output copy.

/** The path of the inside-the-runtime row. */
export const INSIDE_RUNTIME = 'default form, inside the runtime (its profiler: model_run)';

interface Target {
  readonly runtime: string;
  readonly options: SessionOptions;
  /** onnxruntime-node's module, for the inside-the-runtime row (its profiler writes files). */
  readonly profiled?: Parameters<typeof timeInsideRuntime>[0];
}

async function targets(skipped: Skipped[], info: Record<string, string>): Promise<Target[]> {
  const out: Target[] = [];
  try {
    const ort = await import('onnxruntime-node');
    info['onnxruntime-node'] = (
      ort as unknown as { env: { versions: { common: string } } }
    ).env.versions.common;
    out.push({
      runtime: 'ort-node-cpu',
      profiled: ort as unknown as Parameters<typeof timeInsideRuntime>[0],
      options: {
        runtime: 'node',
        executionProviders: ['cpu'],
        sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
      },
    });
  } catch (error) {
    skipped.push({
      runtime: 'ort-node-cpu',
      reason: `onnxruntime-node did not load: ${String(error)}`,
    });
  }
  try {
    const ort = await import('onnxruntime-web');
    // One thread, set before the first session (the wasm module reads it when it starts).
    ort.env.wasm.numThreads = 1;
    info['onnxruntime-web'] = ort.env.versions.web ?? 'unknown';
    out.push({
      runtime: 'ort-web-wasm',
      options: { runtime: 'web', executionProviders: ['wasm'] },
    });
  } catch (error) {
    skipped.push({
      runtime: 'ort-web-wasm',
      reason: `onnxruntime-web did not load: ${String(error)}`,
    });
  }
  return out;
}

export const ortRunner: Runner = {
  name: 'onnxruntime',
  async run({ cases, inputs, timing, log }) {
    const rows: Measurement[] = [];
    const skipped: Skipped[] = [];
    const info: Record<string, string> = {};
    for (const target of await targets(skipped, info)) {
      for (const c of cases) {
        const x = inputs.get(c.id) as Float32Array;
        const block = blockFor(c.spec);
        const forms: (Form & { role: Measurement['role'] })[] = [
          { label: 'default form', role: 'ours' },
          { ...NAIVE, role: 'naive' },
          ...ORT_FORMS.map((f) => ({ ...f, role: 'form' as const })),
        ];
        const sessions = [];
        try {
          for (const { label, role, graphOptimizationLevel, ...form } of forms) {
            const session = await createSESession(block, {
              ...target.options,
              ...form,
              ...(graphOptimizationLevel ? { graphOptimizationLevel } : {}),
            });
            sessions.push({ label, role, session });
          }
        } catch (error) {
          // A block the adapter refuses (an excitation kind it does not write yet) is a
          // skipped row with the adapter's own reason; anything else is a bug and stops the runner.
          if (!(error instanceof SESpecError)) throw error;
          for (const { session } of sessions) await session.release();
          skipped.push({ runtime: `${target.runtime} ${c.id}`, reason: error.message });
          log(`${target.runtime} ${c.id}: skipped (${error.message})`);
          continue;
        }
        // Forms are ranked against each other: interleave them so load falls on all alike.
        // A copy of x joins the rounds: the baseline each form's "% of copy" is judged against.
        const copy = copyBaseline(x);
        const [copyTiming, ...timings] = await measureInterleaved(
          [
            copy.run,
            ...sessions.map(
              ({ session }) =>
                () =>
                  session.runArray(x, c.shape),
            ),
          ],
          timing,
        );
        const pairedCopy = { timing: copyTiming as Timing, bytesMoved: copy.bytesMoved };
        for (const [i, { label, role, session }] of sessions.entries()) {
          const t = timings[i] as Timing;
          const worstUlp = checkOutput(c, x, await session.runArray(x, c.shape));
          await session.release();
          rows.push({
            caseId: c.id,
            runtime: target.runtime,
            path: label,
            role,
            layout: 'NCHW',
            timing: t,
            bytesMoved: seBytes(c),
            worstUlp,
            pairedCopy,
          });
          log(`${target.runtime} ${c.id} ${label}: ${t.medianMs.toFixed(2)} ms`);
        }
        if (target.profiled) {
          // The default form's own model again, timed by the runtime's profiler: its run without
          // the binding.
          const model = (sessions.find((s) => s.role === 'ours') as (typeof sessions)[number])
            .session.model;
          const t = await timeInsideRuntime(target.profiled, model, x, c.shape, timing);
          rows.push({
            caseId: c.id,
            runtime: target.runtime,
            path: INSIDE_RUNTIME,
            role: 'diagnostic',
            layout: 'NCHW',
            timing: t,
            bytesMoved: seBytes(c),
          });
          log(`${target.runtime} ${c.id} ${INSIDE_RUNTIME}: ${t.medianMs.toFixed(2)} ms`);
        }
      }
    }
    return { rows, skipped, info };
  },
};

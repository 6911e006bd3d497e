import { createSESession } from '@seblock/se-onnxruntime';
import { disposeSETensors, hasFusedSEKernel, seBlock, toSETensors } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as ort from 'onnxruntime-web';
import { it } from 'vitest';
import { commands } from 'vitest/browser';
import { type BenchCase, blockFor, sizeOf, uniform } from '../src/cases.js';
import { checkOutput } from '../src/check.js';
import { NAIVE, ORT_FORMS } from '../src/forms.js';
import type { Measurement, Skipped } from '../src/measurement.js';
import { seBytes } from '../src/measurement.js';
import { measure, type TimingOptions } from '../src/timing.js';
import { gpuUnavailable } from './gpu.js';
import { networkPage } from './networks.js';

// Runs in Chromium: tfjs webgl and webgpu (fused kernel and composed ops) and onnxruntime-web
// wasm and webgpu, on the cases the Node side asks for (or, for the network suite, the whole
// networks: browser/networks.ts). GPU work is timed to completion by
// reading one element of the result (not the whole tensor). Results go back through
// vitest's server-side writeFile. Not a test: the single it() only hosts the measurement.

const REQUEST = '../../reports/bench/.browser-request.json';
const RESULT = '../../reports/bench/.browser-result.json';

interface Request {
  readonly suite?: 'blocks';
  readonly cases: BenchCase[];
  readonly inputSeeds: Record<string, number>;
  readonly timing: TimingOptions;
}

async function tfjsRows(
  request: Request,
  rows: Measurement[],
  skipped: Skipped[],
  info: Record<string, string>,
) {
  for (const backend of ['webgl', 'webgpu'] as const) {
    const runtime = `tfjs-${backend} (Chromium)`;
    const reason = backend === 'webgpu' ? await gpuUnavailable() : undefined;
    if (reason || !(await tf.setBackend(backend).catch(() => false))) {
      skipped.push({ runtime, reason: reason ?? `tf.setBackend('${backend}') failed` });
      continue;
    }
    await tf.ready();
    if (backend === 'webgl') {
      info['tfjs-webgl'] =
        `WebGL ${tf.env().getNumber('WEBGL_VERSION')}, float32 textures ${tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')}`;
    }
    for (const c of request.cases) {
      const values = uniform(sizeOf(c.shape), request.inputSeeds[c.id] as number);
      const x = tf.tensor4d(values, [...c.shape]);
      const tensors = toSETensors(blockFor(c.spec));
      for (const fused of [true, false]) {
        if (fused && !hasFusedSEKernel(backend)) continue;
        // Done when one element can be read: the whole block has run on the device.
        const run = async () => {
          const y = seBlock(x, tensors, { layout: 'NCHW', fused });
          const probe = tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]);
          await probe.data();
          tf.dispose([y, probe]);
        };
        const timing = await measure(run, request.timing);
        const y = seBlock(x, tensors, { layout: 'NCHW', fused });
        const worstUlp = checkOutput(c, values, await y.data());
        y.dispose();
        rows.push({
          caseId: c.id,
          runtime,
          path: fused ? 'fused kernel' : 'composed ops',
          role: fused ? 'ours' : 'naive',
          layout: 'NCHW',
          timing,
          bytesMoved: seBytes(c),
          worstUlp,
        });
      }
      disposeSETensors(tensors);
      x.dispose();
    }
  }
}

// Every FC op × squeeze op on WebGPU, on two batch-8 blocks only: Dawn's CPU adapter takes
// 0.2–1.6 s per run here, and which forms compute correctly matters more than their speed on
// a software adapter (the float64 check caught a wrong one).
const WEBGPU_FORM_CASES = new Set(['resnet-56x256-b8', 'resnet-7x2048-b8']);

async function ortRows(request: Request, rows: Measurement[], skipped: Skipped[]) {
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation
  for (const provider of ['wasm', 'webgpu'] as const) {
    const runtime = `ort-web-${provider} (Chromium)`;
    const reason = provider === 'webgpu' ? await gpuUnavailable() : undefined;
    if (reason) {
      skipped.push({ runtime, reason });
      continue;
    }
    for (const c of request.cases) {
      const values = uniform(sizeOf(c.shape), request.inputSeeds[c.id] as number);
      const block = blockFor(c.spec);
      const forms = [
        { label: 'default form', role: 'ours' as const },
        { ...NAIVE, role: 'naive' as const },
        ...(provider === 'webgpu' && WEBGPU_FORM_CASES.has(c.id)
          ? ORT_FORMS.filter((f) => !f.graphOptimizationLevel).map((f) => ({
              ...f,
              role: 'form' as const,
            }))
          : []),
      ];
      for (const form of forms) {
        try {
          const { label: _label, role: _role, ...options } = form;
          const session = await createSESession(block, {
            runtime: 'web',
            executionProviders: [provider],
            ort,
            ...options,
          });
          const timing = await measure(() => session.runArray(values, c.shape), request.timing);
          const worstUlp = checkOutput(c, values, await session.runArray(values, c.shape));
          await session.release();
          rows.push({
            caseId: c.id,
            runtime,
            path: form.label,
            role: form.role,
            layout: 'NCHW',
            timing,
            bytesMoved: seBytes(c),
            worstUlp,
          });
        } catch (error) {
          skipped.push({
            runtime: `${runtime} ${c.id} ${form.label}`,
            reason: String(error).slice(0, 300),
          });
        }
      }
    }
  }
}

it('measures the browser backends', async () => {
  const request = JSON.parse(await commands.readFile(REQUEST, 'utf8')) as
    | Request
    | Parameters<typeof networkPage>[0];
  if (request.suite === 'networks') {
    await commands.writeFile(RESULT, JSON.stringify(await networkPage(request)));
    return;
  }
  const rows: Measurement[] = [];
  const skipped: Skipped[] = [];
  const info: Record<string, string> = {
    browser: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium',
  };
  await tfjsRows(request, rows, skipped, info);
  await ortRows(request, rows, skipped);
  await commands.writeFile(RESULT, JSON.stringify({ rows, skipped, info }));
});

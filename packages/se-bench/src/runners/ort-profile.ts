import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise, type Timing, type TimingOptions } from '../timing.js';

// What onnxruntime-node spends inside the runtime, from its own profiler (the `model_run`
// events): the difference to the time a caller sees is the JS binding's share (creating the
// input tensor and, above all, copying every output into a new ArrayBuffer). Measured apart
// because that copy is where the runtime and PyTorch part ways (docs/performance.md).

interface ProfiledOrt {
  readonly InferenceSession: {
    create(model: Uint8Array, options: object): Promise<ProfiledSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => object;
}
interface ProfiledSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, object>): Promise<unknown>;
  endProfiling(): Promise<void> | void;
  release(): Promise<void>;
}

/** One thread, like every other row; profiling on, written to a temporary directory. */
export async function timeInsideRuntime(
  ort: ProfiledOrt,
  model: Uint8Array,
  x: Float32Array,
  shape: readonly number[],
  timing: TimingOptions,
): Promise<Timing> {
  const dir = await mkdtemp(join(tmpdir(), 'se-bench-ort-profile-'));
  try {
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      enableProfiling: true,
      profileFilePrefix: join(dir, 'profile'),
    });
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', x, shape) };
    const runs = timing.warmup + Math.max(timing.minRepeats, timing.repeats);
    for (let i = 0; i < runs; i++) await session.run(feeds);
    await session.endProfiling();
    await session.release();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    if (files.length !== 1)
      throw new Error(`expected one profile in ${dir}, found ${files.join(', ') || 'none'}`);
    const times = modelRunTimes(JSON.parse(await readFile(join(dir, files[0] as string), 'utf8')));
    if (times.length !== runs)
      throw new Error(`expected ${runs} model_run events in the profile, found ${times.length}`);
    return summarise(times.slice(timing.warmup));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `model_run` durations (ms) of an onnxruntime profile (Chrome trace events, µs). */
export function modelRunTimes(events: unknown): number[] {
  if (!Array.isArray(events)) throw new Error('an onnxruntime profile is a JSON array of events');
  return events
    .filter(
      (e): e is { dur: number } =>
        typeof e === 'object' &&
        e !== null &&
        (e as { cat?: unknown }).cat === 'Session' &&
        (e as { name?: unknown }).name === 'model_run' &&
        typeof (e as { dur?: unknown }).dur === 'number',
    )
    .map((e) => e.dur / 1000);
}

interface TraceEvent {
  readonly cat?: unknown;
  readonly name?: unknown;
  readonly ts?: unknown;
  readonly dur?: unknown;
  readonly args?: { readonly op_name?: unknown };
}

const isTimed = (e: unknown): e is TraceEvent & { name: string; ts: number; dur: number } =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as TraceEvent).name === 'string' &&
  typeof (e as TraceEvent).ts === 'number' &&
  typeof (e as TraceEvent).dur === 'number';

/**
 * Per-node times of an onnxruntime profile (onnxruntime-node's file or onnxruntime-web's
 * printed events): each `<node>_kernel_time` event inside the `model_run`s numbered `first`
 * to `first + count - 1` (0-based, in time order), summed per node and op type and divided by
 * `count`; plus the mean `model_run` time of those runs. Times in ms.
 */
export function nodeTimes(
  events: readonly unknown[],
  first: number,
  count: number,
): { runMs: number; entries: { node: string; op: string; ms: number }[] } {
  const timed = events.filter(isTimed);
  const runs = timed
    .filter((e) => e.cat === 'Session' && e.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(first, first + count);
  if (runs.length !== count)
    throw new Error(
      `expected model_run events ${first} to ${first + count - 1} in the profile, found ${runs.length}`,
    );
  const sums = new Map<string, { node: string; op: string; ms: number }>();
  for (const e of timed) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    if (!runs.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur)) continue;
    const node = e.name.slice(0, -'_kernel_time'.length);
    const op = typeof e.args?.op_name === 'string' ? e.args.op_name : 'unknown';
    const key = `${node}\n${op}`;
    const sum = sums.get(key) ?? { node, op, ms: 0 };
    sum.ms += e.dur / 1000 / runs.length;
    sums.set(key, sum);
  }
  const runMs = runs.reduce((total, r) => total + r.dur, 0) / 1000 / runs.length;
  return { runMs, entries: [...sums.values()] };
}

// Issue 16: SE-ResNet-50's SE overhead on onnxruntime-node's CPU EP per way of writing the SE
// blocks (buildNetworkModel's squeezeOp, fullyConnected and scaleForm), against ResNet-50 at the
// same options. For each form: the graph onnxruntime runs after its optimiser
// (optimizedModelFilePath: NCHWc reorders, unfused Add and Relu), then interleaved rounds (every
// form and ResNet-50 in each round, order reversed every other round; per form and round the
// median of PER forwards) with the median and quartiles of the per-round ratios to ResNet-50,
// in wall time and in process CPU time (less disturbed by other work on a shared machine).
//   pnpm build && flock /tmp/seblock-heavy.lock node packages/se-onnxruntime/scripts/network-forms.mjs
// Env: ROUNDS (12), PER (3), BATCH (1), LEVEL ('all'), ARCH ('seresnet50', its plain twin
// 'resnet50'). Prints its numbers; nothing is asserted (speed targets live in benchmarks).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNetwork, seededFloats, seededStateDict } from '@seblock/se-core/networks';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { buildNetworkModel, loadNetworkSession } from '../dist/networks/index.js';

const { onnx } = onnxProto;
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const PER = Number(process.env.PER ?? 3);
const BATCH = Number(process.env.BATCH ?? 1);
const LEVEL = process.env.LEVEL ?? 'all';
const ARCH = process.env.ARCH ?? 'seresnet50';
const dims = { batch: BATCH, height: 224, width: 224 };

const F64_GEMM = { squeezeOp: 'reduce-float64', fullyConnected: 'gemm' };
const POOL_CONV = { squeezeOp: 'global-pool', fullyConnected: 'conv' };
const FORMS = {
  'ResNet-50': ['resnet50', {}],
  'float64 mean, Gemm, broadcast (CPU session forms)': [ARCH, F64_GEMM],
  'float64 mean, 1×1 Conv, nchwc': [ARCH, { squeezeOp: 'reduce-float64', scaleForm: 'nchwc' }],
  'GlobalAveragePool, 1×1 Conv, broadcast': [ARCH, POOL_CONV],
  'GlobalAveragePool, 1×1 Conv, nchwc': [ARCH, { ...POOL_CONV, scaleForm: 'nchwc' }],
  // loadNetworkSession's fused SE scale + residual: onnxruntime's optimised graph
  // of the form above, rewritten (src/networks/fused-residual.ts).
  'GlobalAveragePool, 1×1 Conv, nchwc, fused scale + residual': [
    ARCH,
    { ...POOL_CONV, scaleForm: 'nchwc' },
    'fused',
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'network-forms-'));
const feeds = {
  x: new ort.Tensor('float32', seededFloats(1, 'input', BATCH * 3 * 224 * 224), [
    BATCH,
    3,
    224,
    224,
  ]),
};
const sessions = {};
const weights = new Map();
try {
  console.log(
    `onnxruntime-node ${ort.env.versions?.common ?? ''} CPU, level ${LEVEL}, one thread, ${BATCH}×3×224×224, ${ROUNDS} rounds × ${PER}`,
  );
  for (const [label, [arch, form, fused]] of Object.entries(FORMS)) {
    const network = buildNetwork(arch);
    if (!weights.has(arch)) weights.set(arch, seededStateDict(network, 1));
    if (fused) {
      if (LEVEL !== 'all') continue;
      const session = await loadNetworkSession(network, weights.get(arch), {
        runtime: 'node',
        ...dims,
        ...form,
        fuseScaleResidual: true,
        sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 },
      });
      // Its onnxruntime session, timed like the others' (released with them below).
      sessions[label] = session.inferenceSession;
      console.log(`${label} | ${session.fusedScaleResiduals} SE blocks fused`);
      await sessions[label].run(feeds);
      continue;
    }
    const path = join(dir, 'optimized.onnx');
    sessions[label] = await ort.InferenceSession.create(
      buildNetworkModel(network, weights.get(arch), { ...dims, ...form }),
      {
        graphOptimizationLevel: LEVEL,
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        optimizedModelFilePath: path,
        logSeverityLevel: 3,
      },
    );
    const counts = {};
    for (const n of onnx.ModelProto.decode(readFileSync(path)).graph.node) {
      const key = `${n.domain === 'com.microsoft.nchwc' ? 'nchwc:' : ''}${n.opType}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    console.log(`${label} | after the optimiser: ${JSON.stringify(counts)}`);
    await sessions[label].run(feeds);
  }
  const labels = Object.keys(sessions);
  const wall = Object.fromEntries(labels.map((l) => [l, []]));
  const cpu = Object.fromEntries(labels.map((l) => [l, []]));
  const load = [loadavg()[0]];
  for (let r = 0; r < ROUNDS; r++)
    for (const label of r % 2 ? [...labels].reverse() : labels) {
      const w = [];
      const c = [];
      for (let i = 0; i < PER; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await sessions[label].run(feeds);
        w.push(performance.now() - t0);
        const used = process.cpuUsage(c0);
        c.push((used.user + used.system) / 1000);
      }
      wall[label].push(median(w));
      cpu[label].push(median(c));
    }
  load.push(loadavg()[0]);
  const base = labels[0];
  for (const label of labels) {
    const ratio = (times) => times[label].map((t, i) => (t / times[base][i] - 1) * 100);
    const pct = (times) => {
      const r = ratio(times);
      return `${sign(quantile(r, 0.5))}% (${sign(quantile(r, 0.25))} … ${sign(quantile(r, 0.75))})`;
    };
    console.log(
      `${label} | wall ${median(wall[label]).toFixed(1)} ms, ${label === base ? '' : pct(wall)} | CPU ${median(cpu[label]).toFixed(1)} ms, ${label === base ? '' : pct(cpu)}`,
    );
  }
  console.log(`1-minute load average ${load.map((l) => l.toFixed(1)).join(' before, ')} after`);
} finally {
  for (const s of Object.values(sessions)) await s.release();
  rmSync(dir, { recursive: true, force: true });
}

function quantile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
function median(values) {
  return quantile(values, 0.5);
}
function sign(v) {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;
}

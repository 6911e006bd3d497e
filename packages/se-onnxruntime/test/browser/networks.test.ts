// Every reduced-width PyTorch network (se-core's fixtures) built in Chromium and run on
// onnxruntime-web: wasm, and webgpu where the browser has an adapter (here Dawn's CPU one).
import {
  buildNetwork,
  type CheckpointTensor,
  checkpointFloats,
  readCheckpoint,
} from '@seblock/se-core/networks';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNetworkSession } from '../../src/networks/index.js';
import { readBytes } from '../support/browser-files.js';
import { networkTolerance, ulpsOfMaxLogit } from '../support/network-error.js';
import { webgpuUnavailable } from '../support/webgpu.js';

const FIXTURES = '../se-core/test/fixtures/networks';
interface Index {
  readonly networks: Record<
    string,
    { small_options: object; small: { max_abs_logit: string; torch_float32_error: string } }
  >;
  readonly small_input: number[];
}
let index: Index;
const report: string[] = [];

beforeAll(async () => {
  index = JSON.parse(new TextDecoder().decode(await readBytes(`${FIXTURES}/index.json`)));
  ort.env.wasm.numThreads = 1; // no cross-origin isolation in the test page
});
afterAll(() => {
  for (const line of report) console.log(line);
});

async function run(architecture: string, provider: string) {
  const info = index.networks[architecture] as Index['networks'][string];
  const network = buildNetwork(architecture, { ...info.small_options, numClasses: 10 });
  const stateDict = await readBytes(`${FIXTURES}/${architecture}-small.safetensors`);
  const expected = readCheckpoint(
    await readBytes(`${FIXTURES}/${architecture}-small.expected.safetensors`),
  ).tensors;
  const x = checkpointFloats(expected.get('x') as never, 'x');
  const y64 = (expected.get('y64') as CheckpointTensor).bytes;
  const view = new DataView(y64.buffer, y64.byteOffset, y64.byteLength);
  const reference = Float64Array.from({ length: view.byteLength / 8 }, (_, i) =>
    view.getFloat64(i * 8, true),
  );
  const session = await loadNetworkSession(network, stateDict, {
    runtime: 'web',
    executionProviders: [provider],
  });
  const y = await session.runArray(x, index.small_input);
  await session.release();
  const error = ulpsOfMaxLogit(y, reference);
  const tolerance = networkTolerance({
    torchError: Number(info.small.torch_float32_error),
    maxAbsLogit: Number(info.small.max_abs_logit),
  });
  report.push(
    `[network] ${architecture} small in Chromium on ${provider}: ${error.toFixed(2)} ULPs of max |logit| (allowed ${tolerance.toFixed(2)})`,
  );
  expect(error).toBeLessThanOrEqual(tolerance);
}

const ARCHITECTURES = [
  'resnet50',
  'seresnet50',
  'seresnet101',
  'seresnext50_32x4d',
  'mobilenet_v3_small',
  'mobilenet_v3_large',
  'efficientnet_b0',
];

describe('reduced-width networks in Chromium', () => {
  it.each(ARCHITECTURES)('%s equals PyTorch on wasm', (architecture) => run(architecture, 'wasm'));

  it.each(ARCHITECTURES)('%s equals PyTorch on webgpu', async (architecture) => {
    const reason = await webgpuUnavailable();
    if (reason) {
      console.warn(`[network] webgpu skipped: ${reason}`);
      return;
    }
    await run(architecture, 'webgpu');
  });
});

import { decodeSafetensors, decodeSEBundle, float32Ulp, type SEBlock } from '@seblock/se-core';
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createModelSession, extractSE, insertSEResidual } from '../../src/index.js';
import { webgpuUnavailable } from '../support/webgpu.js';

async function readBytes(path: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(path, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const moduleOf = (node: string) => node.split('/').filter(Boolean).at(-2) ?? '';

it('builds SE-ResNet from the PyTorch export in the browser and matches PyTorch on wasm and webgpu', async () => {
  const resnet = await readBytes('test/fixtures/resnet.onnx');
  const bundle = decodeSEBundle(await readBytes('test/fixtures/resnet-se-weights.safetensors'));
  const io = decodeSafetensors(await readBytes('test/fixtures/resnet-io.safetensors')).tensors;
  const edited = insertSEResidual(resnet, (r) => ({
    block: bundle.get(`${moduleOf(r.add)}.se`) as SEBlock,
    name: `${moduleOf(r.add)}.se`,
  }));
  expect(extractSE(edited).map((f) => f.name)).toEqual([...bundle.keys()]);
  const x = io.get('x');
  const expected = io.get('y_se_f64')?.values as Float64Array;
  const scale = Math.max(...Array.from(expected, Math.abs));
  const webgpuReason = await webgpuUnavailable();
  const hasWebgpu = webgpuReason === undefined;
  if (!hasWebgpu) console.warn(`[resnet] webgpu skipped: ${webgpuReason}`);
  for (const provider of hasWebgpu ? ['wasm', 'webgpu'] : ['wasm']) {
    const session = await createModelSession(edited, {
      runtime: 'web',
      executionProviders: [provider],
    });
    const y = await session.runArray(x?.values as Float32Array, x?.shape as number[]);
    await session.release();
    const worst =
      Math.max(...Array.from(y, (v, i) => Math.abs(v - (expected[i] as number)))) /
      float32Ulp(scale);
    console.log(
      `[resnet] SE-ResNet in Chromium on ${provider}: ${worst.toFixed(2)} ULPs of max |y| from PyTorch float64`,
    );
    expect(worst).toBeLessThanOrEqual(8);
  }
});

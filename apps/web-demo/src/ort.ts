import type { SEBlock } from '@seblock/se-core';
import { createSESession, type SESession } from '@seblock/se-onnxruntime';
import { webgpuUnavailable } from './backends.js';
import { ort } from './ort-env.js';

export { ORT_VERSION } from './ort-env.js';

/** onnxruntime-web's execution providers shown beside TF.js. */
export const ORT_PROVIDERS = ['wasm', 'webgpu'] as const;
export type OrtProvider = (typeof ORT_PROVIDERS)[number];

export interface OrtResult {
  readonly y: Float32Array;
  readonly milliseconds: number;
}

/** One session per (block, provider), created on first use; a provider that fails says why. */
export class OrtBlocks {
  private readonly sessions = new Map<string, Promise<SESession>>();
  readonly unavailable = new Map<OrtProvider, string>();

  constructor(private readonly blocks: ReadonlyMap<string, SEBlock>) {}

  /** Checks each provider once (WebGPU may be missing); returns the usable ones. */
  async providers(): Promise<OrtProvider[]> {
    const usable: OrtProvider[] = [];
    for (const provider of ORT_PROVIDERS) {
      if (provider === 'webgpu') {
        const missing = await webgpuUnavailable();
        if (missing) {
          this.unavailable.set(provider, missing);
          continue;
        }
      }
      usable.push(provider);
    }
    return usable;
  }

  /** Runs block `name` on x (NHWC, as TF.js computes it) with `provider`. */
  async run(
    name: string,
    provider: OrtProvider,
    x: Float32Array,
    shape: readonly number[],
  ): Promise<OrtResult> {
    const key = `${name}|${provider}`;
    let session = this.sessions.get(key);
    if (!session) {
      const block = this.blocks.get(name);
      if (!block) throw new Error(`no SE block "${name}"`);
      session = createSESession(block, {
        runtime: 'web',
        ort,
        executionProviders: [provider],
        layout: 'NHWC',
      });
      this.sessions.set(key, session);
    }
    const started = performance.now();
    const y = await (await session).runArray(x, shape);
    return { y, milliseconds: performance.now() - started };
  }
}

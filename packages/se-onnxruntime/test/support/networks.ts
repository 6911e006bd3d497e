// Shared by the network tests: se-core's PyTorch fixtures and how a result is judged.
import { float32Ulp } from '@seblock/se-core';
import type { NetworkCase } from '../../../se-core/test/fixtures/networks/load.js';

export {
  FIXTURE_ARCHITECTURES,
  fullCase,
  NETWORK_FIXTURES,
  type NetworkCase,
  networkFixtureBytes,
  smallCase,
} from '../../../se-core/test/fixtures/networks/load.js';

/** Max |y − y64| in float32 ULPs of max |y64| (the logits' scale). */
export function ulpsOfMaxLogit(y: ArrayLike<number>, y64: ArrayLike<number>): number {
  if (y.length !== y64.length) throw new Error(`${y.length} logits, expected ${y64.length}`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    worst = Math.max(worst, Math.abs((y[i] as number) - (y64[i] as number)));
    scale = Math.max(scale, Math.abs(y64[i] as number));
  }
  // NaN anywhere must fail, never compare as "not greater".
  return Number.isNaN(worst) ? Infinity : worst / float32Ulp(scale);
}

/**
 * The fixtures' tolerance (se-core's networks NOTES): 4 float32 ULPs of max |y64| plus twice
 * PyTorch's own float32 error on the same case, in the same unit.
 */
export function networkTolerance(c: Pick<NetworkCase, 'torchError' | 'maxAbsLogit'>): number {
  return 4 + (2 * c.torchError) / float32Ulp(c.maxAbsLogit);
}

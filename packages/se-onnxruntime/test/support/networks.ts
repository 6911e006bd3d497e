// Shared by the network tests in Node: se-core's PyTorch fixtures and how a result is judged.

export {
  FIXTURE_ARCHITECTURES,
  fullCase,
  NETWORK_FIXTURES,
  type NetworkCase,
  networkFixtureBytes,
  smallCase,
} from '../../../se-core/test/fixtures/networks/load.js';
export { expectNetworkLogits, networkTolerance, ulpsOfMaxLogit } from './network-error.js';

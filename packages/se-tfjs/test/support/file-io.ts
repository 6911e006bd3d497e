// The tests save and load through the package's own Node IOHandler (no tfjs-node here).
export { nodeFileSystem as fileIO } from '../../src/node/index.js';

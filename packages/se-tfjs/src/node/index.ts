// @seblock/se-tfjs/node: Node-only helpers (node:fs). Kept out of the main entry so that the
// package itself stays free of Node built-ins and runs in browsers.
export { nodeFileSystem } from './file-system.js';

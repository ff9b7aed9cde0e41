/** The in-process measurements of `npm run bench` (bundled for Node by bench/run.mjs). */
export { measureCpu } from './cpu.js';
export { measureStore } from './store-cost.js';

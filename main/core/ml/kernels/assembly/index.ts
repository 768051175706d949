// The engine's own wasm kernels, one module (see scripts/build-kernels.mjs and ../../wasm-own-kernels.ts).
export { filterGrad } from './filter-grad';
export { conv2d, packPanels } from './conv2d';
export { adam } from './adam';
export { sumRows } from './sum-rows';

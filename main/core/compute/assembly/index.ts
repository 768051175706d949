// The engine's own wasm kernels, one module (built by ../build.mjs, loaded by ../runner.ts).
export { filterGrad } from './filter-grad';
export { conv2d, packPanels } from './conv2d';
export { adam } from './adam';
export { sumRows } from './sum-rows';
export { leakyRelu, leakyReluGrad } from './leaky-relu';
export { broadcast } from './broadcast';
export { normFilm, normFilmGrad } from './norm-film';
export { tanh } from './tanh';
export { swapAxes } from './swap-axes';

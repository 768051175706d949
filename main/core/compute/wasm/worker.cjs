// A helper thread for the engine's own wasm kernels (runner.ts): it instantiates the same module on tfjs's
// shared memory and runs its share of each call. Calls come through a shared Int32Array:
// [0] call number, [1] last call done (negative: failed), [2] kernel index, [3] argument count, [4…] arguments.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const { kernels, names, memory, control } = workerData;
const instance = new WebAssembly.Instance(kernels, { env: { memory } }).exports;
const fns = names.map((name) => instance[name]);
const ctl = new Int32Array(control);
parentPort.postMessage('ready'); // from here on the thread blocks in Atomics.wait between calls
for (let seen = 0; ;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  try {
    fns[ctl[2]](...ctl.subarray(4, 4 + ctl[3]));
    Atomics.store(ctl, 1, seen);
  } catch (err) {
    console.error('homegrown kernel thread:', err);
    Atomics.store(ctl, 1, -seen);
  }
  Atomics.notify(ctl, 1);
}

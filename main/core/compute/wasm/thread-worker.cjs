// The pthread worker of tfjs-backend-wasm's threaded build, for Node's worker_threads (see wasm/threads.ts).
// The stock worker script expects to be loaded from a blob: URL and to import the module's main script from a
// Blob, neither of which Node can do; this file runs the same worker code and points it at the script on disk.
'use strict';
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

const out = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
const mainScript = path.join(out, 'tfjs-backend-wasm-threaded-simd.js');
const { wasmWorkerContents } = require(path.join(out, 'tfjs-backend-wasm-threaded-simd.worker.js'));

const on = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) =>
  on(event, event !== 'message' ? listener : (d) => listener(d && d.cmd === 'load' ? { ...d, urlOrBlob: mainScript } : d));
// The contents come from a template literal whose "\n" escapes became real newlines inside string literals.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);

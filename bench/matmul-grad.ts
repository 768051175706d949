// The two products in a dense layer's gradient on the current backend: tfjs's transposed-operand
// matMul against matMulPlain (main/core/compute/gradients/matmul.ts). Median ms of --repeats, per layer shape.
//   npx tsx bench/matmul-grad.ts [--batch 16] [--repeats 9] [--backend wasm]
import { parseArgs } from 'node:util';
import { Rng } from '../shared/rng';
import { initBackend } from '../main/core/compute/backend';
import { matMulPlain } from '../main/core/compute/gradients/matmul';
import { tf } from '../main/core/compute/tf';
import { medianMs } from './engine';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '16' },
    repeats: { type: 'string', default: '9' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await initBackend({ force: values.backend });
const batch = Number(values.batch);
const rng = new Rng(4);
const time = (f: () => tf.Tensor) => +medianMs(f, Number(values.repeats)).toFixed(2);
// The discriminator's d/fc at 64/128 px (16·256 → 256) and the generator's g/in (style → 4·4·256).
const rows = [];
for (const [k, n] of [
  [4096, 256],
  [256, 4096],
] as const) {
  const x = tf.tensor2d(rng.normals(batch * k), [batch, k]);
  const w = tf.tensor2d(rng.normals(k * n), [k, n]);
  const dy = tf.tensor2d(rng.normals(batch * n), [batch, n]);
  const row = {
    layer: `${batch}×${k} · ${k}×${n}`,
    dx_stock_ms: time(() => tf.matMul(dy, w, false, true)),
    dx_plain_ms: time(() => matMulPlain(dy, w, false, true)),
    dw_stock_ms: time(() => tf.matMul(x, dy, true, false)),
    dw_plain_ms: time(() => matMulPlain(x, dy, true, false)),
  };
  rows.push(row);
  console.log(
    `${row.layer.padEnd(20)} dx: stock ${row.dx_stock_ms} ms, plain ${row.dx_plain_ms} ms   dW: stock ${row.dw_stock_ms} ms, plain ${row.dw_plain_ms} ms`,
  );
  tf.dispose([x, w, dy]);
}
console.log(JSON.stringify(rows));

// Input gradient of the discriminator's stride-2 3×3 convs on the current backend: zero insertion
// (dilated) against the polyphase form, per layer shape of the default network. Median ms of --repeats.
//   npx tsx bench/input-grad.ts [--sizes 32,64,128] [--batch 16] [--repeats 7] [--backend wasm]
import { parseArgs } from 'node:util';
import { Rng } from '../shared/rng';
import { initBackend } from '../main/core/compute/backend';
import { parseConfig } from '../main/core/ml/config';
import { channelPlan } from '../main/core/ml/model';
import { tf } from '../main/core/compute/tf';
import { conv2dInputGradDilated, conv2dInputGradPolyphase, type InputGrad } from '../main/core/compute/gradients/patch';
import { medianMs } from './engine';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,64,128' },
    batch: { type: 'string', default: '16' },
    repeats: { type: 'string', default: '7' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await initBackend({ force: values.backend });
const batch = Number(values.batch);
const rng = new Rng(3);
const rows = [];
for (const size of values.sizes!.split(',').map(Number)) {
  const ch = channelPlan(size, parseConfig({ size }).channels);
  for (let i = ch.length - 1, px = size; i >= 1; i--, px /= 2) {
    const [cin, cout] = [ch[i]!, ch[i - 1]!];
    const inputShape: [number, number, number, number] = [batch, px, px, cin];
    const dy = tf.tensor4d(rng.normals(batch * (px / 2) ** 2 * cout), [batch, px / 2, px / 2, cout]);
    const w = tf.tensor4d(rng.normals(9 * cin * cout), [3, 3, cin, cout]);
    // One untimed call first: it builds XNNPACK operators.
    const time = (f: InputGrad) => medianMs(() => f(dy, w, inputShape, 2, 'same'), Number(values.repeats), 1);
    // Alternate so load from other processes falls on both.
    const [dilated, polyphase] = [time(conv2dInputGradDilated), time(conv2dInputGradPolyphase)];
    const [dilated2, polyphase2] = [time(conv2dInputGradDilated), time(conv2dInputGradPolyphase)];
    const row = {
      size,
      layer: `${px}px ${cin}→${cout}`,
      dilated_ms: +((dilated + dilated2) / 2).toFixed(2),
      polyphase_ms: +((polyphase + polyphase2) / 2).toFixed(2),
    };
    rows.push(row);
    console.log(
      `${String(size).padStart(4)} px  ${row.layer.padEnd(16)} dilated ${row.dilated_ms.toFixed(2).padStart(8)} ms  polyphase ${row.polyphase_ms.toFixed(2).padStart(8)} ms  ×${(row.dilated_ms / row.polyphase_ms).toFixed(2)}`,
    );
    tf.dispose([dy, w]);
  }
}
console.log(JSON.stringify(rows));

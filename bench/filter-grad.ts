// Our wasm filter-gradient kernel (wasm/filter-grad.ts; tfjs's wasm backend has none) on the
// Conv2DBackpropFilter shapes of 32, 64 and 128 px GAN steps: the generator's stride-1 convs, its
// image-facing one (to 3 channels), and the discriminator's stride-2 convs, the first from an image.
//   npx tsx bench/filter-grad.ts [--repeats 9]       (HOMEGROWN_THREADS=1|2 to pick the thread count)
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../main/core/compute/backend';
import { tf } from '../main/core/compute/tf';
import { medianMs } from './engine';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '9' } } });
const report = await initBackend({ force: 'wasm' });
const repeats = Number(values.repeats);

type Shape4 = [number, number, number, number];
const SHAPES: [Shape4, Shape4, number][] = [
  [[16, 16, 16, 32], [3, 3, 32, 64], 1],
  [[16, 32, 32, 16], [3, 3, 16, 3], 1],
  [[32, 32, 32, 3], [3, 3, 3, 16], 2],
  [[32, 32, 32, 16], [3, 3, 16, 32], 2],
  [[16, 16, 16, 64], [3, 3, 64, 128], 1],
  [[16, 4, 4, 256], [3, 3, 256, 512], 1],
  [[16, 64, 64, 16], [3, 3, 16, 3], 1],
  [[32, 64, 64, 3], [3, 3, 3, 16], 2],
  [[32, 16, 16, 64], [3, 3, 64, 128], 2],
  [[16, 64, 64, 32], [3, 3, 32, 64], 1],
  [[16, 128, 128, 16], [3, 3, 16, 3], 1],
  [[32, 128, 128, 3], [3, 3, 3, 16], 2],
];

console.log(`wasm, ${report.threads} thread(s)`);
for (const [x, filter, stride] of SHAPES) {
  const info = tf.backend_util.computeConv2DInfo(x, filter, stride, 1, 'same');
  const [input, dy] = [tf.randomNormal(x), tf.randomNormal(info.outShape)];
  const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape: filter } as unknown as tf.NamedAttrMap;
  const ms = medianMs(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: input, dy }, attrs) as tf.Tensor, repeats, 2);
  const flop = 2 * info.outShape.slice(0, 3).reduce((a, b) => a * b) * filter.reduce((a, b) => a * b);
  console.log(
    `${x.join('×')} → ${filter.join('×')} s${stride}`.padEnd(36),
    `${ms.toFixed(2).padStart(7)} ms ${(flop / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s`,
  );
  tf.dispose([input, dy]);
}

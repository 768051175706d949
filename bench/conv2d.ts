// Our wasm conv2d kernel (wasm/conv2d.ts) against XNNPACK's, on the convolutions of 32, 64 and 128 px GAN
// steps (forward convs, and the stride-1 and polyphase convs the input gradients run as), fresh filters
// each call.
//   npx tsx bench/conv2d.ts [--repeats 7]       (HOMEGROWN_THREADS=1|2 to pick the thread count)
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../main/core/compute/backend';
import { tf } from '../main/core/compute/tf';
import { medianMs } from './engine';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '7' } } });
// Taken before initBackend replaces it.
const xnnpack = tf.getKernel(tf.Conv2D, 'wasm')!.kernelFunc;
const report = await initBackend({ force: 'wasm' });
const repeats = Number(values.repeats);

type Shape4 = [number, number, number, number];
const CONVS: [Shape4, Shape4, number][] = [
  // 32 px
  [[16, 4, 4, 128], [3, 3, 128, 256], 1],
  [[16, 8, 8, 64], [3, 3, 64, 128], 1],
  [[16, 16, 16, 32], [3, 3, 32, 64], 1],
  [[16, 32, 32, 16], [3, 3, 16, 3], 1],
  [[32, 32, 32, 16], [3, 3, 16, 32], 2],
  [[32, 16, 16, 32], [3, 3, 32, 64], 2],
  [[32, 8, 8, 64], [3, 3, 64, 128], 2],
  [[32, 4, 4, 128], [2, 2, 128, 256], 1],
  [[32, 8, 8, 64], [2, 2, 64, 128], 1],
  [[32, 16, 16, 32], [2, 2, 32, 64], 1],
  // 64 px
  [[16, 4, 4, 256], [3, 3, 256, 512], 1],
  [[16, 4, 4, 512], [3, 3, 512, 256], 1],
  [[16, 8, 8, 128], [3, 3, 128, 256], 1],
  [[16, 8, 8, 256], [3, 3, 256, 128], 1],
  [[16, 16, 16, 64], [3, 3, 64, 128], 1],
  [[16, 32, 32, 32], [3, 3, 32, 64], 1],
  [[16, 64, 64, 16], [3, 3, 16, 3], 1],
  [[32, 64, 64, 16], [3, 3, 16, 32], 2],
  [[32, 16, 16, 64], [3, 3, 64, 128], 2],
  [[32, 4, 4, 256], [2, 2, 256, 512], 1],
  [[32, 32, 32, 32], [2, 2, 32, 64], 1],
  // 128 px, the widest layers
  [[16, 4, 4, 256], [3, 3, 256, 1024], 1],
  [[16, 4, 4, 1024], [3, 3, 1024, 256], 1],
  [[16, 64, 64, 32], [3, 3, 32, 64], 1],
];

console.log(
  `wasm, ${report.threads} thread(s), fused multiply-add ${/fused multiply-add on/.test(report.reasons.find((r) => r.name === 'wasm')!.detail) ? 'on' : 'off'}`,
);
for (const [x, w, stride] of CONVS) {
  const [input, filter] = [tf.randomNormal(x) as tf.Tensor4D, tf.randomNormal(w) as tf.Tensor4D];
  const info = tf.backend_util.computeConv2DInfo(x, w, stride, 1, 'same');
  const flop = 2 * info.outShape.slice(0, 3).reduce((a, b) => a * b) * w.reduce((a, b) => a * b);
  const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap;
  const stock = (f: tf.Tensor4D) => {
    const out = xnnpack({ inputs: { x: input, filter: f }, backend: tf.backend(), attrs }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(out);
  };
  const ours = (f: tf.Tensor4D) => tf.conv2d(input, f, stride, 'same');
  const [a, b] = [medianMs(() => stock(tf.add(filter, 0)), repeats, 1), medianMs(() => ours(tf.add(filter, 0)), repeats, 1)];
  const diff = tf.tidy(() => {
    const [s, o] = [stock(filter), ours(filter)];
    return tf.max(tf.abs(tf.sub(s, o))).dataSync()[0]! / tf.max(tf.abs(s)).dataSync()[0]!;
  });
  const rate = (ms: number) => (flop / ms / 1e6).toFixed(1).padStart(5);
  console.log(
    `${x.join('×')} * ${w.join('×')} s${stride}`.padEnd(36),
    `XNNPACK ${a.toFixed(1).padStart(6)} ms ${rate(a)} GFLOP/s   ours ${b.toFixed(1).padStart(6)} ms ${rate(b)} GFLOP/s   ×${(a / b).toFixed(2)}   rel diff ${diff.toExponential(1)}`,
  );
  tf.dispose([input, filter]);
}

// Trains an autoencoder (or VAE) in-process on a real folder and reconstructs 16 of its images: is
// a fault in the pictures the generator's own, with no adversary involved? Prints chroma HF of the
// reconstructions ÷ the originals' (bench/real-metrics.ts) and their mean squared error in [-1, 1];
// the sheet shows the originals above their reconstructions, ×4 nearest, over a checkerboard.
//   npx tsx bench/recon-sheet.ts <folder> [--size 32 --steps 1000 --seed 0 --sheet out.png] [--set key=value ...]
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { Rng } from '../shared/rng';
import { tf } from '../main/core/compute/tf';
import { encodePng } from '../main/core/media/png';
import { overCheckerboard, toRgbaBytes } from '../main/core/ml/alpha';
import { generate } from '../main/core/ml/generator';
import { gridRgb } from '../main/core/ml/image';
import { drawBatch, trainStep } from '../main/core/ml/train';
import { encodeMean } from '../main/core/ml/vae';
import { chromaHf } from './real-metrics';
import { benchConfig, setUpTraining } from './real-setup';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '32' },
    steps: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '0' },
    sheet: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const folder = positionals[0];
if (!folder) throw new Error('usage: npx tsx bench/recon-sheet.ts <folder> [--steps 1000 --sheet out.png --set key=value]');
const asked = benchConfig({ model: 'ae', size: Number(values.size), steps: Number(values.steps), seed: Number(values.seed) }, values.set);
if (asked.model !== 'ae' && asked.model !== 'vae') throw new Error('reconstruction needs an encoder: --set model=ae or vae');
const { ds, cfg, vocab, data, state } = await setUpTraining(folder, asked);
for (let s = 0; s < cfg.steps; s++) trainStep(state, data, cfg);

const n = 16;
const size = ds.size;
const batch = drawBatch(data, n, new Rng(cfg.seed + 1));
const x = tf.tensor4d(batch.images, [n, size, size, ds.channels]);
const bags = tf.tensor2d(batch.bags, [n, vocab.tokens.length]);
const p = state.model.params;
const recon = tf.tidy(() => generate(p, 'g', encodeMean(p, x, bags), bags));
const mse = tf.tidy(() => tf.losses.meanSquaredError(x, recon).dataSync()[0]!);
const rgba = async (t: tf.Tensor4D) =>
  t.shape[3] === 4 ? toRgbaBytes(t) : toRgbaBytes(tf.concat([t, tf.ones([n, size, size, 1])], 3) as tf.Tensor4D);
const [originals, redrawn] = [await rgba(x), await rgba(recon)];
const ratio = chromaHf({ images: redrawn, size }) / chromaHf({ images: originals, size });
console.log(JSON.stringify({ steps: cfg.steps, chromaHf: +ratio.toFixed(3), mse: +mse.toFixed(4) }));

if (values.sheet) {
  const grid = gridRgb(
    [...originals, ...redrawn].map((img) => overCheckerboard(img, size)),
    size,
    n,
    0,
  );
  await writeFile(values.sheet, await encodePng(grid.data, grid.width, grid.height, 4));
}

// Trains a model in-process on a real captioned folder and measures its EMA samples against the folder
// every few steps (bench/real-metrics.ts), so two settings can be compared at the same seed and steps.
//   npx tsx bench/real-quality.ts <folder> [--size 32 --steps 600 --every 200 --seed 0 --sheet out.png] [--set key=value ...]
// Prints one JSON line per evaluation. Ratios are generated ÷ real: 1 is the real set's value.
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { Rng } from '../shared/rng';
import { tf } from '../main/core/compute/tf';
import { encodePng } from '../main/core/media/png';
import { overCheckerboard, toRgbaBytes } from '../main/core/ml/alpha';
import { gridRgb, toRgbBytes } from '../main/core/ml/image';
import { conditionFor } from '../main/core/ml/sample';
import { emaView, trainStep } from '../main/core/ml/train';
import { chromaHf, diversity, hf, type ImageSet, palette } from './real-metrics';
import { benchConfig, setUpTraining } from './real-setup';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '32' },
    steps: { type: 'string', default: '600' },
    every: { type: 'string', default: '200' },
    seed: { type: 'string', default: '0' },
    per: { type: 'string', default: '16' },
    sheet: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const folder = positionals[0];
if (!folder) throw new Error('usage: npx tsx bench/real-quality.ts <folder> [--size 32 --steps 600 --set key=value]');
const asked = benchConfig({ size: Number(values.size), steps: Number(values.steps), seed: Number(values.seed) }, values.set);
const { ds, cfg, captions, vocab, data, state } = await setUpTraining(folder, asked);

const asRgba = (img: Uint8Array): Uint8Array => {
  if (ds.channels === 4) return img;
  const out = new Uint8Array((img.length / 3) * 4);
  for (let i = 0, j = 0; i < img.length; i += 3, j += 4) out.set([img[i]!, img[i + 1]!, img[i + 2]!, 255], j);
  return out;
};
const prompts = [...new Set(captions)].sort();
const real = new Map(prompts.map((p) => [p, [] as Uint8Array[]]));
ds.items.forEach((it, i) => real.get(it.caption)!.push(asRgba(ds.images.read(i))));
const per = Number(values.per);

async function draw(prompt: string, count: number, seed: number, weights = emaView(state)): Promise<Uint8Array[]> {
  // The app's own prompt → condition path, so each caption's samples are drawn for that caption.
  const { bag, unknown } = conditionFor(vocab, cfg, prompt);
  if (unknown.length) throw new Error(`caption words the model does not know: ${unknown.join(', ')}`);
  const z = new Rng(seed).normals(count * cfg.zDim);
  const x = tf.tidy(() =>
    state.model.generate!(weights, tf.tensor2d(z, [count, cfg.zDim]), tf.tile(tf.tensor2d(bag, [1, bag.length]), [count, 1])),
  );
  const out = x.shape[3] === 4 ? await toRgbaBytes(x) : (await toRgbBytes(x)).map(asRgba);
  x.dispose();
  return out;
}

async function evaluate(): Promise<Record<string, number>> {
  const sum = { hf: 0, chromaHf: 0, palette: 0, paletteRealHalves: 0, diversity: 0, rawChromaHf: 0, rawPalette: 0 };
  const set = (images: Uint8Array[]): ImageSet => ({ images, size: ds.size });
  for (const p of prompts) {
    const r = set(real.get(p)!);
    const g = set(await draw(p, per, 1000));
    const halves = [set(r.images.filter((_, i) => i % 2 === 0)), set(r.images.filter((_, i) => i % 2 === 1))];
    sum.hf += hf(g) / hf(r);
    sum.chromaHf += chromaHf(g) / chromaHf(r);
    sum.palette += palette(g, r);
    sum.paletteRealHalves += palette(halves[0]!, halves[1]!);
    sum.diversity += diversity(g) / diversity(r);
    // The raw (not averaged) generator, to tell the average's effect from the generator's.
    const raw = set(await draw(p, per, 1000, state.model.params));
    sum.rawChromaHf += chromaHf(raw) / chromaHf(r);
    sum.rawPalette += palette(raw, r);
  }
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, Math.round((v / prompts.length) * 1000) / 1000]));
}

const t0 = performance.now();
const every = Number(values.every);
while (state.step < cfg.steps) {
  trainStep(state, data, cfg);
  if (state.step % every === 0 || state.step === cfg.steps) {
    console.log(JSON.stringify({ step: state.step, s: Math.round((performance.now() - t0) / 1000), ...(await evaluate()) }));
  }
}
if (values.sheet) {
  const rows = prompts.slice(0, 6);
  const cells = (await Promise.all(rows.map((p) => draw(p, 8, 7)))).flat().map((img) => overCheckerboard(img, ds.size, 4));
  const grid = gridRgb(cells, ds.size, 8);
  await writeFile(values.sheet, await encodePng(grid.data, grid.width, grid.height, 2));
}

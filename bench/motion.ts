// Measurement (not a test): scores a flow run on held-out moving sprites (a seed the run never saw):
// next-frame and in-between PSNR against the copy / linear baselines, and whether the predicted flow
// moves each caption's way. Prints a table and JSON; with --images, writes example strips there.
// Run: npx tsx bench/motion.ts <flow run> [--seed 1] [--per-motion 6] [--images docs/images]
// The training set: npx tsx bench/motion.ts --dataset <dir> --seed 0 --per-motion 16
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../main/core/dataset/load';
import { evaluateMotion, type ExpectedMotion } from '../main/core/eval/motion';
import { initBackend } from '../main/core/compute/backend';
import { sequencesOf } from '../main/core/runs/flow-data';
import { gridRgb } from '../main/core/ml/image';
import { encodePng } from '../main/core/media/png';
import { MotionModel } from '../main/core/runs/motion';
import { buildMovingSprites, MOTION_VECTOR, MOTIONS } from '../test/fixtures/moving-sprites';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '1' },
    'per-motion': { type: 'string', default: '6' },
    images: { type: 'string' },
    dataset: { type: 'string' },
  },
});
if (values.dataset) {
  await buildMovingSprites({ perMotion: Number(values['per-motion']), seed: Number(values.seed), frames: 6 }, values.dataset);
  console.log(`wrote ${values.dataset}`);
  process.exit(0);
}
if (positionals.length !== 1) throw new Error('usage: npx tsx bench/motion.ts <flow run> [--seed 1] [--per-motion 6] [--images dir]');

const backend = await initBackend();
const model = await MotionModel.open(positionals[0]!, backend.active);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'homegrown-motion-'));
try {
  await buildMovingSprites({ size: model.cfg.size, perMotion: Number(values['per-motion']), seed: Number(values.seed), frames: 6 }, dir);
  const data = await loadDataset(dir, { size: model.cfg.size, fit: model.cfg.fit });
  const expected: ExpectedMotion = Object.fromEntries(MOTIONS.map((m) => [m, m === 'rotate' ? 'clockwise' : MOTION_VECTOR[m]]));
  const t0 = performance.now();
  const s = await evaluateMotion(model, data, expected);
  const f = (x: number) => x.toFixed(2);
  console.log(
    `${model.runName} (step ${model.ckpt.state.step}), ${s.pairs} held-out pairs, ${((performance.now() - t0) / 1000).toFixed(1)} s, ${backend.active}`,
  );
  console.log('\n| PSNR (dB) | model | copy last frame | linear extrapolation | linear blend |\n|---|---|---|---|---|');
  console.log(`| next frame | ${f(s.nextFrame.model)} | ${f(s.nextFrame.copyLast)} | ${f(s.nextFrame.linear)} | – |`);
  console.log(`| in-between (frame t from t−1 and t+1) | ${f(s.inbetween.model)} | – | – | ${f(s.inbetween.blend)} |`);
  console.log('\n| caption | expected | mean predicted motion (px/frame) | curl | pairs moving the right way |\n|---|---|---|---|---|');
  for (const [caption, d] of Object.entries(s.direction)) {
    const want = expected[caption];
    console.log(
      `| ${caption} | ${want === 'clockwise' ? 'clockwise' : `(${want!.join(', ')})`} | (${f(d.mean[0])}, ${f(d.mean[1])}) | ${f(d.curl)} | ${(100 * d.correct).toFixed(0)} % of ${d.pairs} |`,
    );
  }
  console.log(`\n${JSON.stringify(s)}`);

  if (values.images) {
    // One held-out sequence per motion: its real frames, then the frames predicted from its first.
    const size = model.cfg.size;
    const index = new Map(data.items.map((item, i) => [item.path, i]));
    const image = (p: string) => data.images.read(index.get(p)!);
    // In-betweens: frame 2 made from frames 1 and 3 (the gap measured above), and frames 2–4 made from
    // 1 and 5, a gap twice the motion of any training pair.
    const animated: Uint8Array[] = [];
    const between: Uint8Array[] = [];
    const wide: Uint8Array[] = [];
    const still = (pixels: Uint8Array) => ({ pixels, width: size, height: size, sha256: '' });
    for (const motion of MOTIONS) {
      const seq = sequencesOf(data.items).find((q) => q.folder.startsWith(`${motion}-`))!;
      const real = seq.frames.map(image);
      animated.push(...real, ...(await model.animate(still(real[0]!), motion, real.length)));
      between.push(...real.slice(0, 3), ...(await model.inbetween(still(real[0]!), still(real[2]!), 1)));
      wide.push(...real.slice(0, 5), ...(await model.inbetween(still(real[0]!), still(real[4]!), 3)));
    }
    await fs.mkdir(values.images, { recursive: true });
    for (const [name, rows, cols] of [
      ['motion-animate.png', animated, 6],
      ['motion-inbetween.png', between, 3],
      ['motion-inbetween-wide.png', wide, 5],
    ] as const) {
      const grid = gridRgb(rows, size, cols);
      const file = path.join(values.images, name);
      await fs.writeFile(file, await encodePng(grid.data, grid.width, grid.height, 3));
      console.log(`wrote ${file}`);
    }
  }
} finally {
  await fs.rm(dir, { recursive: true, force: true });
  model.dispose();
}

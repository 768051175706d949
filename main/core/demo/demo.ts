// `npm run demo`: rasterise the bundled OpenMoji subset, train a short 32 px GAN on it within a time
// budget, and write a sample sheet of the demo prompts (rows) × fixed seeds (columns).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gridRgb } from '../ml/image';
import { encodePng } from '../media/png';
import { Sampler } from '../runs/sampler';
import { TrainingSession } from '../runs/session';
import type { StepInfo } from '../ml/train';
import { DEMO_PROMPTS, writeOpenmojiDataset } from './openmoji';

export interface DemoOptions {
  out: string;
  minutes: number;
  steps: number;
  backend: string;
  onStep?(info: StepInfo & { untilStep: number }): void;
}

export interface DemoResult {
  images: number;
  steps: number;
  seconds: number;
  sheet: string;
  runDir: string;
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const size = 32;
  const dataDir = path.join(o.out, 'openmoji-32');
  await fs.rm(dataDir, { recursive: true, force: true });
  const data = await writeOpenmojiDataset(dataDir, { size });
  const session = await TrainingSession.create({
    dataset: dataDir,
    out: o.out,
    config: { model: 'gan', size, steps: o.steps, sampleEvery: 200, checkpointEvery: 500 },
    backend: o.backend,
  });
  const t0 = Date.now();
  let result;
  try {
    result = await session.train(o.steps, { onStep: o.onStep }, o.minutes);
  } finally {
    session.dispose();
  }
  const sampler = await Sampler.open(result.checkpoint, o.backend);
  try {
    const cells: Uint8Array[] = [];
    for (const prompt of DEMO_PROMPTS) for (const seed of SEEDS) cells.push((await sampler.sample({ prompt, seed })).pixels);
    const grid = gridRgb(cells, size, SEEDS.length);
    const sheet = path.join(o.out, 'demo-sheet.png');
    await fs.writeFile(sheet, await encodePng(grid.data, grid.width, grid.height, 4));
    await fs.writeFile(
      path.join(o.out, 'demo-sheet.txt'),
      `rows (top to bottom): ${DEMO_PROMPTS.join(' | ')}\ncolumns: seeds ${SEEDS.join(', ')}\n`,
    );
    return { images: data.count, steps: result.step, seconds: Math.round((Date.now() - t0) / 1000), sheet, runDir: session.runDir };
  } finally {
    sampler.dispose();
  }
}

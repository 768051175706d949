import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { Sampler } from '#core/runs/sampler';
import { TrainingSession } from '#core/runs/session';
import { runCommand } from '#test/fixtures/capture-stdout';
import { writeOpenmojiFolder } from '#test/fixtures/openmoji-folder';

let root: string;
let runDir: string;
let generated: string;
let training: string[];
const cwd = process.cwd();

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-similar-'));
  training = await writeOpenmojiFolder(path.join(root, 'moji'), { subgroups: ['animal-mammal', 'food-fruit'], perSubgroup: 5, size: 32 });
  const config = { channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, size: 32, steps: 2 };
  const s = await TrainingSession.create({ dataset: path.join(root, 'moji'), out: path.join(root, 'runs'), config, backend: 'wasm' });
  await s.train(2);
  s.dispose();
  runDir = s.runDir;
  const sampler = await Sampler.open(runDir, 'wasm');
  generated = path.join(root, 'generated.png');
  await fs.writeFile(generated, await sampler.png(await sampler.sample({ prompt: 'food fruit', seed: 3 })));
  sampler.dispose();
  process.chdir(root); // the run in a recipe is looked for in ./runs
});
afterAll(async () => {
  process.chdir(cwd);
  await fs.rm(root, { recursive: true, force: true });
});

describe('homegrown similar', () => {
  it('lists the k nearest training images of a generation, finding its run from the recipe', async () => {
    const r = await runCommand(['similar', generated, '-k', '3']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      `training images nearest to ${generated} (run ${path.basename(runDir)}; copy threshold ${lines[0]!.match(/threshold (\d+\.\d{3})/)![1]}):`,
    );
    expect(lines.slice(1, 4)).toEqual(
      lines.slice(1, 4).map(() => expect.stringMatching(/^ {2} [1-3]\. \d+\.\d{3} {2}(animal-mammal|food-fruit)\/[0-9a-f-]+\.png$/)),
    );
    const distances = lines.slice(1, 4).map((l) => Number(l.split(/\s+/)[2]));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(lines[4]).toBe('not a near copy: the nearest training image is farther than the copy threshold');
  });

  it('flags a training image handed back as a near copy of its file', async () => {
    const copy = path.join(root, 'copy.webp');
    await sharp(training[7]).webp({ lossless: true }).toFile(copy);
    const r = await runCommand(['similar', copy, '--run', runDir, '--json']);
    const found = JSON.parse(r.out);
    expect(found.nearCopyOf).toBe(path.relative(path.join(root, 'moji'), training[7]!));
    expect(found.neighbours).toHaveLength(8);
    expect(found.neighbours[0].distance).toBe(0);
  });

  it('says in one line what to do with an image without a recipe', async () => {
    const plain = path.join(root, 'plain.png');
    await sharp(training[0]).toFile(plain);
    expect(await runCommand(['similar', plain])).toEqual({
      code: 1,
      out: '',
      err: `homegrown: ${plain} carries no recipe naming the run that made it; pass --run <run folder>\n`,
    });
  });
});

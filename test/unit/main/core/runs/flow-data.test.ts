import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '#core/dataset/load';
import { initBackend } from '#core/compute/backend';
import { checkSequences, framePairs } from '#core/runs/flow-data';
import { TrainingSession } from '#core/runs/session';
import { buildMovingSprites } from '#test/fixtures/moving-sprites';

let root: string;
let sprites: string;
const SMALL = { model: 'flow', size: 32, channels: 4, embDim: 8, batch: 2, sampleEvery: 1000, checkpointEvery: 1000 };

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-flow-data-'));
  sprites = path.join(root, 'sprites');
  await buildMovingSprites({ perMotion: 1, frames: 3, motions: ['down', 'rotate'] }, sprites);
  // A loose image outside any sequence is loaded but never paired.
  await fs.copyFile(path.join(sprites, 'down-1', 'down_01.png'), path.join(sprites, 'loose.png'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('flow training data', () => {
  it('pairs each frame with the next one of its own sequence', async () => {
    const data = await loadDataset(sprites, { size: 32 });
    const paths = data.items.map((i) => i.path);
    const pairs = [...framePairs(data.items)].map((i) => paths[i]);
    expect(pairs).toEqual([
      'down-1/down_01.png',
      'down-1/down_02.png',
      'down-1/down_02.png',
      'down-1/down_03.png',
      'rotate-1/rotate_01.png',
      'rotate-1/rotate_02.png',
      'rotate-1/rotate_02.png',
      'rotate-1/rotate_03.png',
    ]);
    expect((await checkSequences(data)).map((s) => s.folder)).toEqual(['down-1', 'rotate-1']);
  });

  it('2N steps straight equal N steps, checkpoint, resume, N steps', async () => {
    const N = 2;
    const straight = await TrainingSession.create({
      dataset: sprites,
      out: path.join(root, 'a'),
      config: { ...SMALL, steps: 2 * N },
      backend: 'wasm',
    });
    const a: number[] = [];
    await straight.train(2 * N, { onStep: (i) => a.push(i.losses.flow!) });
    const finalA = Object.values(straight.state.model.params).map((v) => v.dataSync().slice());
    straight.dispose();

    const first = await TrainingSession.create({
      dataset: sprites,
      out: path.join(root, 'b'),
      config: { ...SMALL, steps: N },
      backend: 'wasm',
    });
    const b: number[] = [];
    await first.train(N, { onStep: (i) => b.push(i.losses.flow!) });
    first.dispose();
    const resumed = await TrainingSession.resume({ runDir: first.runDir, backend: 'wasm' });
    expect(resumed.state.step).toBe(N);
    await resumed.train(N, { onStep: (i) => b.push(i.losses.flow!) });
    const finalB = Object.values(resumed.state.model.params).map((v) => v.dataSync().slice());
    resumed.dispose();

    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    finalB.forEach((w, i) => w.forEach((v, k) => expect(v).toBeCloseTo(finalA[i]![k]!, 5)));
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { UserError } from '#core/errors';
import { listCheckpoints, loadLatestGood } from '#core/runs/checkpoint';
import { Sampler } from '#core/runs/sampler';
import { TrainingSession } from '#core/runs/session';

// Scoring can be made to fail, to show that a failure there never costs the checkpoint.
const scoring = vi.hoisted(() => ({ fail: false }));
vi.mock('#core/ml/recon', async (original) => {
  const real = await original<typeof import('#core/ml/recon')>();
  return {
    ...real,
    reconstructionScore: (...args: Parameters<typeof real.reconstructionScore>) => {
      if (scoring.fail) throw new Error('HomegrownConv2DBias: shapes do not match');
      return real.reconstructionScore(...args);
    },
  };
});

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let data: string;
let root: string;

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-session-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 3 });
});

async function trainLosses(session: TrainingSession, steps: number) {
  const losses: Record<string, number>[] = [];
  const r = await session.train(steps, { onStep: (i) => losses.push(i.losses) });
  return { losses, r };
}

describe.each(['gan', 'vae'] as const)('%s session', (model) => {
  it('2N steps straight equal N steps, checkpoint, resume, N steps', async () => {
    const N = 3;
    const straight = await TrainingSession.create({
      dataset: data,
      out: path.join(root, `${model}-a`),
      config: { ...SMALL, model, steps: 2 * N },
      backend: 'wasm',
    });
    const a = await trainLosses(straight, 2 * N);
    const finalA = Object.fromEntries(Object.entries(straight.state.model.params).map(([k, v]) => [k, v.dataSync().slice()]));
    const slotsA = Object.values(straight.state.slots).map((v) => v.dataSync().slice());
    straight.dispose();

    const first = await TrainingSession.create({
      dataset: data,
      out: path.join(root, `${model}-b`),
      config: { ...SMALL, model, steps: N },
      backend: 'wasm',
    });
    const b1 = await trainLosses(first, N);
    first.dispose();
    const resumed = await TrainingSession.resume({ runDir: first.runDir, backend: 'wasm' });
    expect(resumed.state.step).toBe(N);
    const b2 = await trainLosses(resumed, N);
    expect(b2.r.step).toBe(2 * N);

    const lossesB = [...b1.losses, ...b2.losses];
    lossesB.forEach((l, i) => {
      for (const k of Object.keys(l)) expect(l[k]).toBeCloseTo(a.losses[i]![k]!, 4);
    });
    for (const [k, v] of Object.entries(resumed.state.model.params)) {
      const got = v.dataSync();
      finalA[k]!.forEach((x, i) => expect(Math.abs(got[i]! - x)).toBeLessThan(1e-4));
    }
    Object.values(resumed.state.slots).forEach((v, j) => {
      const got = v.dataSync();
      slotsA[j]!.forEach((x, i) => expect(Math.abs(got[i]! - x)).toBeLessThan(1e-4));
    });
    resumed.dispose();
  });
});

describe('sampling', () => {
  it('same checkpoint + prompt + seed + backend give byte-identical PNGs carrying their recipe', async () => {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'sample'),
      config: { ...SMALL, steps: 2 },
      backend: 'wasm',
    });
    await s.train(2);
    s.dispose();
    const pngs: Buffer[] = [];
    for (let k = 0; k < 2; k++) {
      const sampler = await Sampler.open(s.runDir, 'wasm');
      const one = await sampler.sample({ prompt: 'red, circle', negative: 'blue', seed: 42 });
      pngs.push(await sampler.png(one));
      expect(one.recipe).toMatchObject({ prompt: 'red, circle', negative: 'blue', seed: 42, step: 2, backend: 'wasm', model: 'gan' });
      const other = await sampler.sample({ prompt: 'red, circle', negative: 'blue', seed: 43 });
      expect(Buffer.from(other.pixels).equals(Buffer.from(one.pixels))).toBe(false);
      sampler.dispose();
    }
    expect(pngs[0]!.equals(pngs[1]!)).toBe(true);
  });

  it('the prompt, its weights and the negative prompt all change the image', async () => {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'cond'),
      config: { ...SMALL, steps: 1 },
      backend: 'wasm',
    });
    await s.train(1);
    s.dispose();
    const sampler = await Sampler.open(s.runDir, 'wasm');
    const px = async (prompt: string, negative = '') => Buffer.from((await sampler.sample({ prompt, negative, seed: 1 })).pixels);
    const base = await px('red, circle');
    expect((await px('blue, circle')).equals(base)).toBe(false);
    expect((await px('(red:1.5), circle')).equals(base)).toBe(false);
    expect((await px('red, circle', 'square')).equals(base)).toBe(false);
    expect((await px('red, circle, spaceship')).equals(base)).toBe(true);
    sampler.dispose();
  });
});

describe('failures during training', () => {
  it('a failure to score held-out reconstructions is a warning; the checkpoint is written', async () => {
    const many = path.join(root, 'shapes-many');
    await writeShapesDataset(many, { size: 32, perCombo: 2, seed: 3 });
    const s = await TrainingSession.create({
      dataset: many,
      out: path.join(root, 'score'),
      config: { ...SMALL, model: 'vae', steps: 4, checkpointEvery: 2 },
      backend: 'wasm',
    });
    expect(s.heldOut.length).toBeGreaterThan(0);
    const warnings: string[] = [];
    scoring.fail = true;
    try {
      const r = await s.train(4, { warn: (m) => warnings.push(m) });
      expect(r.checkpoint).toMatch(/step-00000004$/);
    } finally {
      scoring.fail = false;
      s.dispose();
    }
    expect((await listCheckpoints(s.runDir)).map((d) => path.basename(d))).toEqual(['step-00000002', 'step-00000004']);
    expect(warnings).toEqual([
      'could not score the held-out reconstructions at step 2: HomegrownConv2DBias: shapes do not match',
      'could not score the held-out reconstructions at step 4: HomegrownConv2DBias: shapes do not match',
    ]);
  });

  it('NaN weights stop training with a message that names the last good checkpoint, which stays intact', async () => {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'nan'),
      config: { ...SMALL, steps: 6, checkpointEvery: 2 },
      backend: 'wasm',
    });
    try {
      await s.train(2);
      const [name, w] = Object.entries(s.state.model.params).find(([n]) => n.startsWith('g/'))!;
      expect(name).toBeTruthy();
      w.assign(tf.fill(w.shape, NaN));
      const err = await s.train(4).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      const good = path.join(s.runDir, 'checkpoints', 'step-00000002');
      expect((err as Error).message).toBe(
        `Training diverged at step 3 (${(err as Error).message.match(/\((loss \w+ is NaN)\)/)?.[1]}); the last good checkpoint is ${good}; ` +
          `resume from it with a lower learning rate: homegrown train --resume ${s.runDir} --set lr=0.000125`, // a quarter of the GAN's 5e-4
      );
    } finally {
      s.dispose();
    }
    expect((await listCheckpoints(s.runDir)).map((d) => path.basename(d))).toEqual(['step-00000002']);
    expect((await loadLatestGood(s.runDir)).state.step).toBe(2);
  });
});

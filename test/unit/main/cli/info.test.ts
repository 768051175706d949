// `homegrown info <run>`: the run's model, steps and reconstruction scores.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infoCommand } from '#main/cli/info';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { initBackend } from '#core/compute/backend';
import { TrainingSession } from '#core/runs/session';
import { captureStdout } from '#test/fixtures/capture-stdout';

let root: string;
let run: string;

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-info-'));
  const data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 2, seed: 12 }); // 32 images, 1 held out
  const config = {
    size: 32,
    channels: 4,
    zDim: 8,
    embDim: 8,
    styleDim: 16,
    batch: 4,
    sampleEvery: 1000,
    checkpointEvery: 1,
    model: 'vae',
    steps: 2,
  };
  const s = await TrainingSession.create({ dataset: data, out: path.join(root, 'runs'), config, backend: 'wasm' });
  await s.train(2);
  s.dispose();
  run = s.runDir;
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const info = (...args: string[]) => captureStdout(() => infoCommand().exitOverride().parseAsync(args, { from: 'user' }));

describe('homegrown info <run>', () => {
  it('prints the reconstruction scores logged at each checkpoint', async () => {
    const out = await info(run);
    expect(out).toMatch(new RegExp(`^${path.basename(run)}: vae 32px, step 2, trained on .*shapes\\n`));
    expect(out).toMatch(
      /reconstruction of 1 held-out images \(mean PSNR, SSIM\) at each checkpoint:\n {2}step {7}1 +\d+\.\d\d dB {2}-?\d\.\d{3}\n {2}step {7}2 /,
    );
  });

  it('prints JSON with --json', async () => {
    const json = JSON.parse(await info(run, '--json'));
    expect(json).toMatchObject({ model: 'vae', size: 32, heldOut: 1, step: 2 });
    expect(json.recon.map((r: { step: number }) => r.step)).toEqual([1, 2]);
  });

  it('refuses a folder that is not a run', async () => {
    await expect(info(root)).rejects.toThrow(/is not a Homegrown run folder \(no run\.json\)/);
  });
});

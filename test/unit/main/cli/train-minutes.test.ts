// `homegrown train <folder> --minutes N` through the real binary: settings from the folder, as many
// steps as fit the budget, and a checkpoint at the end even when the budget is shorter than one.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLatestGood } from '#core/runs/checkpoint';
import { openmojiCodes, writePixelArtFolder } from '#test/fixtures/pixel-art-folder';
import { spawnCli } from '#test/fixtures/spawn-cli';

let root: string;
let sprites: string;
const TINY = ['--set', 'channels=4', '--set', 'zDim=8', '--set', 'embDim=8', '--set', 'styleDim=16', '--batch', '4'];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-minutes-'));
  sprites = path.join(root, 'sprites');
  await writePixelArtFolder(sprites, await openmojiCodes(6), 24);
}, 120_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function onlyRun(out: string): Promise<string> {
  const names = await fs.readdir(out);
  expect(names).toHaveLength(1);
  return path.join(out, names[0]!);
}

describe('homegrown train --minutes', () => {
  it('takes its settings from a pixel-art folder and ends a budget shorter than one checkpoint with one', async () => {
    const out = path.join(root, 'budget');
    const r = spawnCli(['train', sprites, '--minutes', '0.05', '--checkpoint-every', '100000', ...TINY, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/settings from the folder \(6 images, 24 px, pixel art/);
    expect(r.err).toMatch(/VAE: 6 images are too few/);
    const run = await onlyRun(out);
    const ckpt = await loadLatestGood(run);
    expect(r.out).toContain(`done at step ${ckpt.state.step}; checkpoint`);
    expect(ckpt.state.step).toBeGreaterThan(0);
    expect(ckpt.state.step).toBeLessThan(100000);
    expect(ckpt.state.config).toMatchObject({ model: 'vae', size: 24, snap: 'on', augment: ['translation', 'cutout'] });
    expect(ckpt.state.config.palette.length).toBeGreaterThan(1);
  }, 180_000);

  it('--no-folder-defaults keeps the plain defaults; named fields always win', async () => {
    const out = path.join(root, 'plain');
    const r = spawnCli(['train', sprites, '--no-folder-defaults', '--steps', '1', ...TINY, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/settings from the folder/);
    expect((await loadLatestGood(await onlyRun(out))).state.config).toMatchObject({ model: 'gan', size: 32 });
    const sized = path.join(root, 'sized');
    const s = spawnCli(['train', sprites, '--size', '16', '--model', 'gan', '--steps', '1', ...TINY, '--out', sized]);
    expect(s.code, s.err).toBe(0);
    expect(s.err).not.toMatch(/px: the pixel art/);
    expect((await loadLatestGood(await onlyRun(sized))).state.config).toMatchObject({ model: 'gan', size: 16, snap: 'on' });
  }, 180_000);
});

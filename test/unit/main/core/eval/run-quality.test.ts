// Bad input for quality measurement: a folder with one caption for every image has no classifier, so no
// CAS; KID, diversity, palette and copy rate are still measured, on 16 px thumbnails.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { measureRun } from '#core/eval/run-quality';
import { TrainingSession } from '#core/runs/session';
import { writeOpenmojiFolder } from '#test/fixtures/openmoji-folder';

let root: string;
let runDir: string;
let files: string[];
const config = { channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, size: 32, steps: 2 };

async function trainOn(data: string): Promise<string> {
  const s = await TrainingSession.create({ dataset: data, out: path.join(root, 'runs'), config, backend: 'wasm' });
  await s.train(2);
  s.dispose();
  return s.runDir;
}

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-run-quality-'));
  const data = path.join(root, 'moji');
  files = await writeOpenmojiFolder(data, { subgroups: ['animal-mammal', 'food-fruit'], perSubgroup: 5, size: 32, oneFolder: 'sprites' });
  runDir = await trainOn(data);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('measureRun on a folder with one caption', () => {
  it('says what it cannot measure and measures the rest in pixel space', async () => {
    const q = await measureRun(runDir, { backend: 'wasm', settings: { perPrompt: 4 } });
    expect(q.reference!.classifier).toBeNull();
    expect(q.reference!.featureSpace).toBe('pixels');
    expect(q.reference!.cannot).toEqual([
      'no classifier, so no CAS (recognised-as-prompt rate): every image has the same caption ("sprites"); KID and diversity are measured on 16 px thumbnails instead',
    ]);
    expect(q.points).toHaveLength(1);
    const { overall, prompts } = q.points[0]!;
    expect(Object.keys(prompts)).toEqual(['sprites']);
    expect(overall.cas).toBeNull();
    expect(overall.kid).not.toBeNull();
    expect(overall.diversity).toBeGreaterThan(0);
    expect(overall.palette).toBeGreaterThan(0);
    expect(overall.copyRate).toBe(0);
    expect(q.best?.step).toBe(2);
  });

  it('on a folder without captions (every file name its own caption) measures only the overall figures', async () => {
    const flat = path.join(root, 'flat');
    await fs.mkdir(flat);
    for (const [i, f] of files.entries()) await fs.copyFile(f, path.join(flat, `img ${String.fromCharCode(97 + i)}.png`));
    const q = await measureRun(await trainOn(flat), { backend: 'wasm', settings: { perPrompt: 2 } });
    expect(q.reference!.cannot).toEqual([
      'no classifier, so no CAS (recognised-as-prompt rate): fewer than two captions are shared by at least 4 images; KID and diversity are measured on 16 px thumbnails instead',
      'no per-prompt KID or diversity: no caption is shared by two images',
    ]);
    const { overall, prompts } = q.points[0]!;
    expect(Object.keys(prompts)).toHaveLength(10);
    expect(Object.values(prompts).every((p) => p.kid === null && p.diversity === null && p.cas === null)).toBe(true);
    expect(overall.kid).not.toBeNull();
    expect(overall.diversity).toBeGreaterThan(0); // pooled: no prompt has two real images
    expect(overall.palette).toBeGreaterThan(0);
  });

  it('refuses a folder that is not a run, and a run whose training folder is gone', async () => {
    await expect(measureRun(root, { backend: 'wasm' })).rejects.toThrow(/not a Homegrown run folder/);
    await fs.rename(path.join(root, 'moji'), path.join(root, 'moved'));
    await expect(measureRun(runDir, { backend: 'wasm' })).rejects.toThrow(/training folder .*moji is gone/);
    await fs.rename(path.join(root, 'moved'), path.join(root, 'moji'));
  });
});

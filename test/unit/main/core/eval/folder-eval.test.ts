// End to end on a small real folder (OpenMoji symbols in three subgroups): train briefly, measure every
// checkpoint, keep the curve in the run folder, name the best checkpoint.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunQuality } from '#shared/api/runs';
import { initBackend } from '#core/compute/backend';
import { evaluateFolder } from '#core/eval/folder-eval';
import { readQuality } from '#core/eval/quality-file';
import { measureRun } from '#core/eval/run-quality';
import { writeOpenmojiFolder } from '#test/fixtures/openmoji-folder';

let root: string;
let result: RunQuality & { runDir: string; steps: number };
const TINY = { channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, size: 32, model: 'gan' };
const SETTINGS = { perPrompt: 4, classifierSteps: 60 };

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-folder-eval-'));
  await writeOpenmojiFolder(path.join(root, 'moji'), {
    subgroups: ['animal-mammal', 'food-fruit', 'transport-ground'],
    perSubgroup: 8,
    size: 32,
  });
  result = await evaluateFolder({
    folder: path.join(root, 'moji'),
    out: path.join(root, 'runs'),
    minutes: 5,
    steps: 6,
    checkpoints: 2,
    config: TINY,
    backend: 'wasm',
    settings: SETTINGS,
  });
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('quality of a run trained on a real folder', () => {
  it('trains a classifier on the captions and reports its held-out accuracy', () => {
    const c = result.reference!.classifier!;
    expect(c.classes.sort()).toEqual(['animal mammal', 'food fruit', 'transport ground']);
    // 8 images a class, a fifth (2) of each held out.
    expect([c.trainImages, c.heldOutImages]).toEqual([18, 6]);
    expect(c.accuracy).toBeGreaterThanOrEqual(0);
    expect(c.accuracy).toBeLessThanOrEqual(1);
    expect(result.reference!.featureSpace).toBe('classifier');
    expect(result.reference!.cannot).toEqual([]);
    expect(result.reference!.copyThreshold).toBeGreaterThan(0);
  });

  it('measures every checkpoint, overall and per prompt, and names the best', () => {
    expect(result.steps).toBe(6);
    expect(result.points.map((p) => p.step)).toEqual([3, 6]);
    for (const p of result.points) {
      expect(Object.keys(p.prompts).sort()).toEqual(['animal mammal', 'food fruit', 'transport ground']);
      expect(p.overall.n).toBe(12);
      for (const q of [p.overall, ...Object.values(p.prompts)]) {
        expect(q.cas).toBeGreaterThanOrEqual(0);
        expect(q.cas).toBeLessThanOrEqual(1);
        expect(Number.isFinite(q.kid)).toBe(true);
        expect(q.kidStd).toBeGreaterThanOrEqual(0);
        expect(q.diversity).toBeGreaterThanOrEqual(0);
        expect(q.palette).toBeGreaterThan(0); // an untrained generator's colours are not the set's
        expect(q.copyRate).toBe(0);
      }
    }
    expect([3, 6]).toContain(result.best!.step);
    expect(result.best!.reason).toMatch(/^lowest KID/);
  });

  it('keeps the curve in the run folder and does not measure a checkpoint twice', async () => {
    const stored = await readQuality(result.runDir);
    expect(stored).toEqual({ reference: result.reference, points: result.points, best: result.best });
    const seen: number[] = [];
    const again = await measureRun(result.runDir, { backend: 'wasm', settings: SETTINGS, onPoint: (p) => seen.push(p.step) });
    expect(seen).toEqual([]);
    expect(again.points).toEqual(result.points);
  });
});

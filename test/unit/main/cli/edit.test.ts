// `homegrown edit` in-process: outputs with recipes, and bad input answered in one line with nothing written.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { readRecipe } from '#core/media/png-meta';
import { TrainingSession } from '#core/runs/session';
import { runCommand } from '#test/fixtures/capture-stdout';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let root: string;
let data: string;
const runs: Record<string, string> = {};

const hg = (...args: string[]) => runCommand([...args, '--backend', 'wasm']);

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-edit-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 9 });
  const { initBackend } = await import('#core/compute/backend');
  await initBackend({ force: 'wasm' });
  for (const model of ['ae', 'gan'] as const) {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'runs'),
      config: { ...SMALL, model, steps: 2 },
      backend: 'wasm',
    });
    await s.train(2);
    s.dispose();
    runs[model] = s.runDir;
  }
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('homegrown edit', () => {
  it('writes one PNG per strength, each with its recipe; the input PNG recipe gives the source prompt', async () => {
    const out = path.join(root, 'out');
    const r = await hg(
      'edit',
      runs.ae!,
      path.join(data, 'red-circle-0.png'),
      'blue, square',
      '--strength',
      '0,0.5,1',
      '--seed',
      '4',
      '--source-prompt',
      'red, circle',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const files = r.out.trim().split('\n');
    expect(files.map((f) => path.basename(f))).toEqual(
      ['t0', 't0.5', 't1'].map((t) => `${path.basename(runs.ae!)}-edit-red-circle-0-${t}-s4.png`),
    );
    const recipes = await Promise.all(files.map(async (f) => readRecipe(await fs.readFile(f)).recipe));
    expect(recipes.map((x) => x?.strength)).toEqual([0, 0.5, 1]);
    expect(recipes.every((x) => x?.sourcePrompt === 'red, circle' && x.prompt === 'blue, square' && x.seed === 4)).toBe(true);
    expect((await sharp(files[1]).metadata()).width).toBe(32);

    // Editing an edit: without --source-prompt the prompt stored in the input is used.
    const again = await hg('edit', runs.ae!, files[2]!, 'green, cross', '--strength', '0.3', '--out', out);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/encoding the input as "blue, square"/);
    expect(readRecipe(await fs.readFile(again.out.trim())).recipe?.sourcePrompt).toBe('blue, square');

    // A plain image: the training caption that reconstructs it best describes it.
    const plain = await hg('edit', runs.ae!, path.join(data, 'green-cross-0.png'), 'red, cross', '--out', out);
    expect(plain.code).toBe(0);
    const guessed = plain.err.match(/encoding the input as "(\w+), (\w+)"/);
    expect(guessed).not.toBeNull();
    expect(readRecipe(await fs.readFile(plain.out.trim())).recipe?.sourcePrompt).toBe(`${guessed![1]}, ${guessed![2]}`);
  });

  it('answers bad input with one line, exit 1, and nothing written', async () => {
    const out = path.join(root, 'bad-out');
    const text = path.join(root, 'notes.png');
    await fs.writeFile(text, 'not an image');
    const cases: [string[], RegExp][] = [
      [['edit', runs.ae!, text, 'red'], /notes\.png: not an image/],
      [['edit', runs.ae!, path.join(root, 'missing.png'), 'red'], /cannot read .*missing\.png: no such file/],
      [
        ['edit', runs.gan!, path.join(data, 'red-circle-0.png'), 'red'],
        /is a gan run, which has no encoder: edit needs a run trained with --model ae or vae/,
      ],
      [['edit', runs.ae!, path.join(data, 'red-circle-0.png'), 'red', '--strength', '1.2'], /--strength must be a number from 0 to 1/],
      [['edit', runs.ae!, path.join(data, 'red-circle-0.png'), 'red', '--strength', 'lots'], /--strength must be a number from 0 to 1/],
      [['edit', root, path.join(data, 'red-circle-0.png'), 'red'], /checkpoint/],
    ];
    for (const [args, message] of cases) {
      const r = await hg(...args, '--out', out);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    await expect(fs.access(out)).rejects.toThrow();
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { COLOUR_NAMES, SHAPE_NAMES, writeShapesDataset } from '#core/eval/shapes-dataset';

const dirs: string[] = [];
async function write(opts: Parameters<typeof writeShapesDataset>[1]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'shapes-'));
  dirs.push(dir);
  return { dir, result: await writeShapesDataset(dir, opts) };
}
async function contents(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(path.join(dir, n))] as const)));
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('writeShapesDataset', () => {
  it('writes every colour × shape with a "colour, shape" caption beside each 32 px RGB PNG', async () => {
    const { dir, result } = await write({ size: 32, perCombo: 2, seed: 1 });
    expect(COLOUR_NAMES.length).toBeGreaterThanOrEqual(4);
    expect(SHAPE_NAMES).toEqual(expect.arrayContaining(['circle', 'square', 'triangle']));
    expect(result.combos).toHaveLength(COLOUR_NAMES.length * SHAPE_NAMES.length);
    expect(result.count).toBe(result.combos.length * 2);
    const files = await contents(dir);
    const pngs = [...files.keys()].filter((n) => n.endsWith('.png'));
    expect(pngs).toHaveLength(result.count);
    for (const png of pngs) {
      const caption = files
        .get(png.replace(/\.png$/, '.txt'))!
        .toString()
        .trim();
      const [colour, shape] = caption.split(', ');
      expect(png.startsWith(`${colour}-${shape}-`)).toBe(true);
    }
    const meta = await sharp(files.get(pngs[0]!)!).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([32, 32, 3]);
  });

  it('is byte-identical for a seed and differs for another', async () => {
    const a = await contents((await write({ size: 32, perCombo: 2, seed: 5 })).dir);
    const b = await contents((await write({ size: 32, perCombo: 2, seed: 5 })).dir);
    const c = await contents((await write({ size: 32, perCombo: 2, seed: 6 })).dir);
    expect(b).toEqual(a);
    expect([...c].some(([name, bytes]) => !bytes.equals(a.get(name)!))).toBe(true);
  });

  it('leaves the held-out combination out entirely and the others unchanged', async () => {
    const full = await contents((await write({ size: 32, perCombo: 2, seed: 5 })).dir);
    const { dir, result } = await write({ size: 32, perCombo: 2, seed: 5, holdOut: { colour: 'yellow', shape: 'triangle' } });
    const held = await contents(dir);
    expect(result.combos).not.toContainEqual({ colour: 'yellow', shape: 'triangle' });
    expect(result.count).toBe((COLOUR_NAMES.length * SHAPE_NAMES.length - 1) * 2);
    expect([...held.keys()].some((n) => n.startsWith('yellow-triangle'))).toBe(false);
    expect([...held.values()].some((b) => b.toString().includes('yellow, triangle'))).toBe(false);
    for (const [name, bytes] of held) expect(bytes.equals(full.get(name)!)).toBe(true);
  });

  it('rejects a hold-out that is not one of its combinations', async () => {
    await expect(write({ size: 32, perCombo: 1, seed: 1, holdOut: { colour: 'mauve', shape: 'circle' } })).rejects.toThrow(/mauve/);
  });
});

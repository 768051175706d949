import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROMPTS, OPENMOJI_CREDIT, writeOpenmojiDataset } from '#core/demo/openmoji';

let dir = '';
let result: Awaited<ReturnType<typeof writeOpenmojiDataset>>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openmoji-'));
  result = await writeOpenmojiDataset(dir, { size: 32 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeOpenmojiDataset', () => {
  it('writes the geometric colour symbols as 32 px RGB PNGs with "colour, shape" captions', async () => {
    const { count, captions } = result;
    expect(count).toBe(47);
    expect(captions).toHaveLength(count);
    for (const caption of captions) expect(caption).toMatch(/^[a-z]+( [a-z]+)?, (circle|square|heart|hexagon|diamond|flag)$/);
    expect(new Set(captions).size).toBe(count);

    const names = (await readdir(dir)).sort();
    const pngs = names.filter((n) => n.endsWith('.png'));
    expect(pngs).toHaveLength(count);
    const written = await Promise.all(pngs.map((n) => readFile(path.join(dir, n.replace(/\.png$/, '.txt')), 'utf8')));
    expect(written.map((c) => c.trim()).sort()).toEqual([...captions].sort());

    const { data, info } = await sharp(path.join(dir, pngs[0]!)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([32, 32, 3]);
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]); // white margin
  });

  it('shows only prompts the dataset was trained on and credits the licence', () => {
    expect(DEMO_PROMPTS.length).toBeGreaterThanOrEqual(4);
    for (const prompt of DEMO_PROMPTS) expect(result.captions).toContain(prompt);
    expect(OPENMOJI_CREDIT).toMatch(/OpenMoji.*CC BY-SA 4\.0|CC BY-SA 4\.0.*OpenMoji/);
    expect(OPENMOJI_CREDIT).toContain('https://openmoji.org');
  });
});

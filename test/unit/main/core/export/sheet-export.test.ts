// The sprite-sheet export engine over export items (real PNG files with their recipes): the sheet and
// its atlas, frame order, grid and array layouts, refusals, and near copies (a frame cannot be marked).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exportSheet } from '#core/export/sheet-export';
import { ArrayAtlas, HashAtlas } from '#test/fixtures/atlas-formats';
import { writeItems } from '#test/fixtures/export-items';
import { tempDir } from '../store/temp-home';

describe('exportSheet', () => {
  it('writes the sheet PNG and its atlas beside it, with every frame’s recipe, and returns the lineage', async () => {
    const items = await writeItems(tempDir());
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'other.txt'), 'not ours');
    const res = await exportSheet(items, { sheet: path.join(dir, 'sprites.png'), trim: true, upscale: 2, template: '{prompt}' });
    expect(fs.readdirSync(dir).sort()).toEqual(['other.txt', 'sprites.json', 'sprites.png']);
    const atlas = HashAtlas.parse(JSON.parse(fs.readFileSync(res.atlas, 'utf8')));
    expect(Object.keys(atlas.frames)).toEqual(['red-round.png', 'blue-square.png', 'green-ünïcode-🌿.png']);
    // 32 px squares with a 4 px transparent border, upscaled ×2 then trimmed: 48 px frames of 64 px sources.
    expect(atlas.frames['red-round.png']).toMatchObject({
      trimmed: true,
      spriteSourceSize: { x: 8, y: 8, w: 48, h: 48 },
      sourceSize: { w: 64, h: 64 },
    });
    const meta = await sharp(res.sheet).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([atlas.meta.size.w, atlas.meta.size.h, 4]);
    expect(JSON.parse(fs.readFileSync(res.atlas, 'utf8')).recipes['blue-square.png']).toMatchObject({ seed: 2, generationId: 2 });
    expect(res.lineage).toMatchObject({ kind: 'sheet', target: res.sheet, options: { trim: true, upscale: 2, mode: 'pack' } });
    expect(res.lineage.files.map((f) => [f.file, f.generationId])).toEqual([
      ['red-round.png', 1],
      ['blue-square.png', 2],
      ['green-ünïcode-🌿.png', 3],
    ]);
  });

  it('keeps the frames in the order the images were given', async () => {
    const [a, b, c] = await writeItems(tempDir());
    const res = await exportSheet([c!, a!, b!], {
      sheet: path.join(tempDir(), 'order.png'),
      mode: 'grid',
      atlas: 'array',
      columns: 3,
      template: '{seed}',
    });
    const atlas = ArrayAtlas.parse(JSON.parse(fs.readFileSync(res.atlas, 'utf8')));
    expect(atlas.frames.map((f) => [f.filename, f.frame.x])).toEqual([
      ['3.png', 2],
      ['1.png', 36],
      ['2.png', 70],
    ]);
    expect(res.lineage.files.map((f) => f.generationId)).toEqual([3, 1, 2]);
  });

  it('writes an array atlas for a grid, and refuses to replace an existing sheet without overwrite', async () => {
    const items = await writeItems(tempDir());
    const sheet = path.join(tempDir(), 'grid.png');
    await exportSheet(items, { sheet, mode: 'grid', atlas: 'array', columns: 2, padding: 0 });
    const atlas = ArrayAtlas.parse(JSON.parse(fs.readFileSync(sheet.replace('.png', '.json'), 'utf8')));
    expect(atlas.frames.map((f) => [f.filename, f.frame.x, f.frame.y])).toEqual([
      ['1.png', 0, 0],
      ['2.png', 32, 0],
      ['3.png', 0, 32],
    ]);
    const before = fs.readFileSync(sheet);
    await expect(exportSheet(items, { sheet })).rejects.toThrow(`${sheet} exists; choose another name or pass --overwrite`);
    expect(fs.readFileSync(sheet).equals(before)).toBe(true);
    await exportSheet(items, { sheet, overwrite: true });
    expect(fs.readFileSync(sheet).equals(before)).toBe(false);
  });

  it('refuses a grid of mixed sizes and a sheet name that is not .png, writing nothing', async () => {
    const items = await writeItems(tempDir(), [
      { prompt: 'a', seed: 1, rgba: [1, 1, 1, 255] },
      { prompt: 'b', seed: 2, rgba: [1, 1, 1, 255], size: 48 },
    ]);
    const dir = tempDir();
    await expect(exportSheet(items, { sheet: path.join(dir, 's.png'), mode: 'grid' })).rejects.toThrow(
      /grid sheet needs frames of one size; this selection mixes 32×32, 48×48/,
    );
    await expect(exportSheet(items, { sheet: path.join(dir, 's.jpg') })).rejects.toThrow(/is a .png file/);
    await expect(exportSheet([], { sheet: path.join(dir, 's.png') })).rejects.toThrow(/selection is empty/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a near copy it cannot mark, and leaves near copies out when asked', async () => {
    const [a, b] = await writeItems(tempDir());
    const items = [a!, { ...b!, nearCopyOf: 'train/blue.png' }];
    const dir = tempDir();
    await expect(exportSheet(items, { sheet: path.join(dir, 's.png') })).rejects.toThrow(
      'Image 2 is a near copy of train/blue.png and a sheet frame cannot be marked as one: skip near copies or leave it out',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    const res = await exportSheet(items, { sheet: path.join(dir, 's.png'), nearCopies: 'skip' });
    expect([res.frames, res.skipped.map((s) => s.generationId)]).toEqual([['1.png'], [2]]);
  });
});

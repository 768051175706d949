import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exportSheet } from '#core/export/sheet-export';
import { ArrayAtlas, HashAtlas } from '#test/fixtures/atlas-formats';
import { fillStore } from '#test/fixtures/export-store';
import { tempDir, tempStore } from '../store/temp-home';

describe('exportSheet', () => {
  it('writes the sheet PNG and its atlas beside it, with every frame’s recipe and the lineage', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'other.txt'), 'not ours');
    const res = await exportSheet(store, { query: {}, sheet: path.join(dir, 'sprites.png'), trim: true, upscale: 2, template: '{prompt}' });
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
    expect(JSON.parse(fs.readFileSync(res.atlas, 'utf8')).recipes['blue-square.png']).toMatchObject({ seed: 2, generationId: gens[1]!.id });
    const record = store.exports.get(res.exportId!)!;
    expect(record).toMatchObject({ kind: 'sheet', target: res.sheet, options: { trim: true, upscale: 2, mode: 'pack' } });
    expect(record.files.map((f) => f.generationId)).toEqual(gens.map((g) => g.id));
  });

  it('keeps the frames in the order the images were chosen', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const ids = [gens[2]!.id, gens[0]!.id, gens[1]!.id];
    const res = await exportSheet(store, {
      generationIds: ids,
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
    expect(store.exports.get(res.exportId!)!.files.map((f) => f.generationId)).toEqual(ids);
  });

  it('writes an array atlas for a grid, and refuses to replace an existing sheet without overwrite', async () => {
    const store = tempStore();
    await fillStore(store);
    const sheet = path.join(tempDir(), 'grid.png');
    await exportSheet(store, { query: {}, sheet, mode: 'grid', atlas: 'array', columns: 2, padding: 0 });
    const atlas = ArrayAtlas.parse(JSON.parse(fs.readFileSync(sheet.replace('.png', '.json'), 'utf8')));
    expect(atlas.frames.map((f) => [f.filename, f.frame.x, f.frame.y])).toEqual([
      ['1.png', 0, 0],
      ['2.png', 32, 0],
      ['3.png', 0, 32],
    ]);
    const before = fs.readFileSync(sheet);
    await expect(exportSheet(store, { query: {}, sheet })).rejects.toThrow(`${sheet} exists; choose another name or pass --overwrite`);
    expect(fs.readFileSync(sheet).equals(before)).toBe(true);
    await exportSheet(store, { query: {}, sheet, overwrite: true });
    expect(fs.readFileSync(sheet).equals(before)).toBe(false);
  });

  it('refuses a grid of mixed sizes and a sheet name that is not .png, writing nothing', async () => {
    const store = tempStore();
    await fillStore(store, [
      { prompt: 'a', seed: 1, rgba: [1, 1, 1, 255] },
      { prompt: 'b', seed: 2, rgba: [1, 1, 1, 255], size: 48 },
    ]);
    const dir = tempDir();
    await expect(exportSheet(store, { query: {}, sheet: path.join(dir, 's.png'), mode: 'grid' })).rejects.toThrow(
      /grid sheet needs frames of one size; this selection mixes 32×32, 48×48/,
    );
    await expect(exportSheet(store, { query: {}, sheet: path.join(dir, 's.jpg') })).rejects.toThrow(/is a .png file/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

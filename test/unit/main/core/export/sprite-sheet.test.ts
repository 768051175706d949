import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arrayAtlas, buildSheet, hashAtlas, type AtlasFrame as Frame } from '#core/export/sprite-sheet';
import { decodeRgba, type RgbaImage } from '#core/export/rgba';
import { ArrayAtlas, HashAtlas } from '#test/fixtures/atlas-formats';
import { squarePng } from '#test/fixtures/export-store';

async function frames(): Promise<{ name: string; image: RgbaImage }[]> {
  const specs: [number, number, number[]][] = [
    [32, 4, [255, 0, 0, 255]],
    [48, 10, [0, 255, 0, 255]],
    [32, 0, [0, 0, 255, 255]],
    [16, 3, [200, 200, 0, 128]],
  ];
  return Promise.all(
    specs.map(async ([size, border, rgba], i) => ({ name: `f${i}.png`, image: await decodeRgba(await squarePng(rgba, size, border)) })),
  );
}

const px = (img: RgbaImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

/** Frames lie inside the sheet, keep `gap` pixels between them, and show the source's pixels. */
function checkPlacement(sheet: RgbaImage, atlas: z.infer<typeof HashAtlas>, sources: Map<string, RgbaImage>, gap: number) {
  const entries = Object.entries(atlas.frames);
  for (const [name, f] of entries) {
    expect(f.frame.x + f.frame.w).toBeLessThanOrEqual(sheet.width);
    expect(f.frame.y + f.frame.h).toBeLessThanOrEqual(sheet.height);
    // Trimmed frames: what is kept is the spriteSourceSize part of the source, same size as the frame.
    expect([f.spriteSourceSize.w, f.spriteSourceSize.h]).toEqual([f.frame.w, f.frame.h]);
    expect(f.spriteSourceSize.x + f.spriteSourceSize.w).toBeLessThanOrEqual(f.sourceSize.w);
    expect(f.spriteSourceSize.y + f.spriteSourceSize.h).toBeLessThanOrEqual(f.sourceSize.h);
    expect(f.trimmed).toBe(f.frame.w !== f.sourceSize.w || f.frame.h !== f.sourceSize.h);
    const src = sources.get(name)!;
    for (let y = 0; y < f.frame.h; y++)
      for (let x = 0; x < f.frame.w; x++) {
        expect(px(sheet, f.frame.x + x, f.frame.y + y)).toEqual(px(src, f.spriteSourceSize.x + x, f.spriteSourceSize.y + y));
      }
  }
  const apart = (a: Frame['frame'], b: Frame['frame']) =>
    a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y || b.y + b.h + gap <= a.y;
  for (const [i, [, a]] of entries.entries()) for (const [, b] of entries.slice(i + 1)) expect(apart(a.frame, b.frame)).toBe(true);
}

describe('sprite sheets', () => {
  it('refuses to trim a grid, saying why, rather than ignoring it', () => {
    const frame = { name: 'a.png', image: { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4) } };
    expect(() => buildSheet([frame], { mode: 'grid', trim: true })).toThrow(
      /A grid sheet keeps every cell the same size .* use the packed layout to trim/,
    );
  });

  it('pack frames of mixed sizes with trimming, padding and extrusion into a valid hash atlas', async () => {
    const fs = await frames();
    const sheet = buildSheet(fs, { padding: 2, extrude: 1, trim: true });
    const atlas = HashAtlas.parse(hashAtlas(sheet, 'sheet.png'));
    expect(Object.keys(atlas.frames)).toEqual(['f0.png', 'f1.png', 'f2.png', 'f3.png']);
    expect(atlas.meta.size).toEqual({ w: sheet.image.width, h: sheet.image.height });
    expect(atlas.frames['f1.png']).toMatchObject({
      trimmed: true,
      spriteSourceSize: { x: 10, y: 10, w: 28, h: 28 },
      sourceSize: { w: 48, h: 48 },
    });
    expect(atlas.frames['f2.png']!.trimmed).toBe(false);
    // Padding 2 between frames, each grown by 1 px of extrusion on every side: 4 px between frames.
    checkPlacement(sheet.image, atlas, new Map(fs.map((f) => [f.name, f.image])), 2 + 2 * 1);
    const f = atlas.frames['f0.png']!.frame;
    expect(px(sheet.image, f.x - 1, f.y - 1)).toEqual(px(sheet.image, f.x, f.y));
    expect(px(sheet.image, f.x + f.w, f.y + 3)).toEqual(px(sheet.image, f.x + f.w - 1, f.y + 3));
  });

  it('write the same frames as a valid array atlas, and a power-of-two sheet on request', async () => {
    const fs = await frames();
    const sheet = buildSheet(fs, { padding: 1, pot: true });
    const atlas = ArrayAtlas.parse(arrayAtlas(sheet, 'sheet.png'));
    expect(atlas.frames.map((f) => f.filename)).toEqual(fs.map((f) => f.name));
    for (const side of [sheet.image.width, sheet.image.height]) expect(Math.log2(side) % 1).toBe(0);
    const asHash = { frames: Object.fromEntries(atlas.frames.map(({ filename, ...f }) => [filename, f])), meta: atlas.meta };
    checkPlacement(sheet.image, asHash, new Map(fs.map((f) => [f.name, f.image])), 1);
  });

  it('lay same-size frames on a fixed grid with the cell layout in the atlas', async () => {
    const img = await decodeRgba(await squarePng([9, 9, 9, 255], 32, 2));
    const fs = Array.from({ length: 5 }, (_, i) => ({ name: `g${i}`, image: img }));
    const sheet = buildSheet(fs, { mode: 'grid', padding: 2, columns: 3 });
    const atlas = HashAtlas.parse(hashAtlas(sheet, 's.png'));
    expect([sheet.image.width, sheet.image.height]).toEqual([2 + 3 * 34, 2 + 2 * 34]);
    expect(sheet.grid).toEqual({ cellWidth: 32, cellHeight: 32, columns: 3, rows: 2, padding: 2 });
    expect(Object.values(atlas.frames).map((f) => [f.frame.x, f.frame.y])).toEqual([
      [2, 2],
      [36, 2],
      [70, 2],
      [2, 36],
      [36, 36],
    ]);
    checkPlacement(sheet.image, atlas, new Map(fs.map((f) => [f.name, f.image])), 2);
  });

  it('refuse a grid of mixed sizes, an empty selection and frames that do not fit', async () => {
    const fs = await frames();
    expect(() => buildSheet(fs, { mode: 'grid' })).toThrow(
      'A grid sheet needs frames of one size; this selection mixes 32×32, 48×48, 16×16',
    );
    expect(() => buildSheet([])).toThrow(/selection is empty/);
    expect(() => buildSheet(fs, { maxSize: 40 })).toThrow(/do not fit on one 40×40 sheet/);
  });
});

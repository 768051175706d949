// The batch export engine over export items (real PNG files with their recipes): names, recipes in
// every format, the manifest, zip or folder, the image operations, near copies, and the lineage it
// returns for the service to record. Selection and recording are the service's (service/export-items).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exportBatch } from '#core/export/batch';
import type { ExportItem } from '#core/export/items';
import { readImageRecipe } from '#core/media/recipe-meta';
import { parseCsv } from '#shared/prompt/csv';
import { writeItems } from '#test/fixtures/export-items';
import { readZip } from '#test/fixtures/read-zip';
import { tempDir } from '../store/temp-home';

describe('exportBatch', () => {
  it('writes a folder of PNGs named from the template, with recipes and a manifest, and returns the lineage', async () => {
    const items = await writeItems(tempDir());
    const folder = path.join(tempDir(), 'out');
    const progress: number[] = [];
    const res = await exportBatch(items, { folder }, (p) => progress.push(p.done));
    expect(res.files).toEqual(['fixture-gan32_1_red-round.png', 'fixture-gan32_2_blue-square.png', 'fixture-gan32_3_green-ünïcode-🌿.png']);
    expect(progress).toEqual([1, 2, 3]);
    expect(fs.readdirSync(folder).sort()).toEqual([...res.files, 'manifest.csv', 'manifest.json'].sort());
    for (const [i, f] of res.files.entries()) {
      const { recipe, parameters } = await readImageRecipe(fs.readFileSync(path.join(folder, f)));
      expect(recipe).toMatchObject({ prompt: items[i]!.recipe!.prompt, seed: i + 1, generationId: i + 1, run: 'fixture-gan32' });
      expect(parameters).toContain(`Seed: ${i + 1}`);
    }
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    expect(json.files.map((f: { file: string }) => f.file)).toEqual(res.files);
    const csv = parseCsv(fs.readFileSync(path.join(folder, 'manifest.csv'), 'utf8'));
    expect(csv[0]!.slice(0, 4)).toEqual(['file', 'generationId', 'sourcePath', 'prompt']);
    expect(csv[3]![3]).toBe('green, ünïcode 🌿');
    expect(res.lineage).toMatchObject({ kind: 'folder', target: folder, options: { format: 'png', template: '{run}_{seed}_{prompt}' } });
    expect(res.lineage.files).toEqual(res.files.map((file, i) => ({ file, generationId: i + 1, sourcePath: items[i]!.file })));
    expect(res.skipped).toEqual([]);
  });

  it.each(['webp', 'jpeg'] as const)('keeps the recipe in %s files (XMP)', async (format) => {
    const items = await writeItems(tempDir());
    const folder = path.join(tempDir(), 'out');
    const res = await exportBatch([items[0]!, items[2]!], { folder, format, template: '{id}-{prompt}' });
    expect(res.files).toEqual(['1-red-round', '3-green-ünïcode-🌿'].map((n) => `${n}.${format === 'jpeg' ? 'jpg' : 'webp'}`));
    const back = await readImageRecipe(fs.readFileSync(path.join(folder, res.files[1]!)));
    expect(back.recipe).toMatchObject({ prompt: 'green, ünïcode 🌿', seed: 3, generationId: 3 });
    expect(back.parameters).toMatch(/^green, ünïcode 🌿\nSteps: 100, Seed: 3/u);
  });

  it('writes a zip with the same files and manifest, and nothing beside it', async () => {
    const items = await writeItems(tempDir());
    const zip = path.join(tempDir(), 'best.zip');
    const res = await exportBatch([items[0]!, items[2]!], { zip, template: '{prompt}' });
    expect(res.zip).toBe(zip);
    const entries = await readZip(zip);
    expect([...entries.keys()]).toEqual(['red-round.png', 'green-ünïcode-🌿.png', 'manifest.json', 'manifest.csv']);
    expect((await readImageRecipe(entries.get('red-round.png')!)).recipe?.generationId).toBe(1);
    expect(fs.readdirSync(path.dirname(zip))).toEqual(['best.zip']);
    expect(res.lineage.kind).toBe('zip');
  });

  it('applies palette snapping and upscaling to every file, keeping the recipe', async () => {
    const items = await writeItems(tempDir());
    const folder = path.join(tempDir(), 'px');
    const res = await exportBatch([items[0]!], { folder, palette: ['#000000', '#ffffff', '#ff0000'], upscale: 4 });
    const file = fs.readFileSync(path.join(folder, res.files[0]!));
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([128, 128, 4]);
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    expect([...colours]).toEqual(['255,0,0']);
    const { recipe, parameters } = await readImageRecipe(file);
    expect(recipe).toMatchObject({ generationId: 1, size: 32, upscale: 4 });
    // The A1111 text gives the file's own size, and how it was made from the drawn one.
    expect(parameters).toMatch(/Size: 128x128, .*Upscale: 4x nearest from 32x32/);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')).files[0].recipe).toMatchObject({ upscale: 4 });
  });

  it('disambiguates names that clash (also only in case) in the given order', async () => {
    const items = await writeItems(tempDir(), [
      { prompt: 'Fox', seed: 1, rgba: [1, 2, 3, 255] },
      { prompt: 'fox', seed: 2, rgba: [1, 2, 3, 255] },
      { prompt: 'fox', seed: 3, rgba: [1, 2, 3, 255] },
    ]);
    const res = await exportBatch(items, { folder: path.join(tempDir(), 'o'), template: '{prompt}' });
    expect(res.files).toEqual(['Fox.png', 'fox-2.png', 'fox-3.png']);
  });

  it('marks near copies by name and in the manifest, or leaves them out', async () => {
    const [a, b, c] = await writeItems(tempDir());
    const items = [a!, { ...b!, nearCopyOf: 'train/blue.png' }, c!];
    const flagged = path.join(tempDir(), 'flag');
    const res = await exportBatch(items, { folder: flagged, template: '{seed}' });
    expect(res.files).toEqual(['1.png', 'near-copy_2.png', '3.png']);
    expect(res.manifest.map((m) => m.nearCopyOf)).toEqual([undefined, 'train/blue.png', undefined]);
    expect(fs.readFileSync(path.join(flagged, 'manifest.csv'), 'utf8')).toMatch(/near-copy_2\.png,.*,train\/blue\.png\r?\n/);

    const skip = await exportBatch(items, { folder: path.join(tempDir(), 'skip'), template: '{seed}', nearCopies: 'skip' });
    expect(skip.files).toEqual(['1.png', '3.png']);
    expect(skip.skipped.map((s) => s.generationId)).toEqual([2]);
    expect(skip.lineage.files.map((f) => f.generationId)).toEqual([1, 3]);
    const none = path.join(tempDir(), 'none');
    await expect(exportBatch([items[1]!], { folder: none, nearCopies: 'skip' })).rejects.toThrow(/Every chosen image is a near copy/);
    expect(fs.existsSync(none)).toBe(false);
  });

  it('refuses bad requests with one clear line and writes nothing', async () => {
    const [item] = await writeItems(tempDir());
    const dir = tempDir();
    const folder = path.join(dir, 'o');
    const gone = { ...item!, file: path.join(dir, 'missing.png') };
    const cases: [ExportItem[], object, RegExp][] = [
      [[], { folder }, /selection is empty/],
      [[item!], {}, /exactly one of folder or zip/],
      [[item!], { folder, template: '{colour}' }, /Unknown template field \{colour\}/],
      [[item!], { folder, template: '///' }, /empty file name/],
      [[item!], { folder, format: 'gif' }, /format/],
      [[item!], { folder, generationIds: [1] }, /Invalid export request/],
      [[gone], { folder }, /Cannot read the image/],
    ];
    for (const [items, request, message] of cases) await expect(exportBatch(items, request)).rejects.toThrow(message);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('refuses a non-empty folder or an existing zip unless overwrite, leaving them as they were', async () => {
    const items = (await writeItems(tempDir())).slice(0, 1);
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'mine.txt'), 'keep me');
    const zip = path.join(folder, 'mine.zip');
    fs.writeFileSync(zip, 'not yours');
    await expect(exportBatch(items, { folder })).rejects.toThrow(/is not empty; choose another folder or pass --overwrite/);
    await expect(exportBatch(items, { zip })).rejects.toThrow(/mine.zip exists/);
    expect(fs.readdirSync(folder).sort()).toEqual(['mine.txt', 'mine.zip']);
    expect(fs.readFileSync(zip, 'utf8')).toBe('not yours');
    await exportBatch(items, { folder, overwrite: true });
    expect(fs.readFileSync(path.join(folder, 'mine.txt'), 'utf8')).toBe('keep me');
    await exportBatch(items, { zip, overwrite: true });
    expect((await readZip(zip)).size).toBe(3);
  });
});

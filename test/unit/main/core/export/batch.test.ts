import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exportBatch } from '#core/export/batch';
import { readImageRecipe } from '#core/media/recipe-meta';
import { parseCsv } from '#shared/prompt/csv';
import { fillStore } from '#test/fixtures/export-store';
import { readZip } from '#test/fixtures/read-zip';
import { tempDir, tempStore } from '../store/temp-home';

describe('exportBatch', () => {
  it('writes a folder of PNGs named from the template, with recipes, a manifest and lineage', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const folder = path.join(tempDir(), 'out');
    const progress: number[] = [];
    const res = await exportBatch(store, { generationIds: gens.map((g) => g.id), folder }, (p) => progress.push(p.done));
    expect(res.files).toEqual(['fixture-gan32_1_red-round.png', 'fixture-gan32_2_blue-square.png', 'fixture-gan32_3_green-ünïcode-🌿.png']);
    expect(progress).toEqual([1, 2, 3]);
    expect(fs.readdirSync(folder).sort()).toEqual([...res.files, 'manifest.csv', 'manifest.json'].sort());
    for (const [i, f] of res.files.entries()) {
      const { recipe, parameters } = await readImageRecipe(fs.readFileSync(path.join(folder, f)));
      expect(recipe).toMatchObject({ prompt: gens[i]!.prompt, seed: gens[i]!.seed, generationId: gens[i]!.id, run: 'fixture-gan32' });
      expect(parameters).toContain(`Seed: ${gens[i]!.seed}`);
    }
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    expect(json.files.map((f: { file: string }) => f.file)).toEqual(res.files);
    const csv = parseCsv(fs.readFileSync(path.join(folder, 'manifest.csv'), 'utf8'));
    expect(csv[0]!.slice(0, 4)).toEqual(['file', 'generationId', 'sourcePath', 'prompt']);
    expect(csv[3]![3]).toBe('green, ünïcode 🌿');

    const record = store.exports.get(res.exportId!)!;
    expect(record).toMatchObject({ kind: 'folder', target: folder, options: { format: 'png', template: '{run}_{seed}_{prompt}' } });
    expect(record.files.map((f) => f.generationId)).toEqual(gens.map((g) => g.id));
    expect(store.exports.forGeneration(gens[1]!.id).map((e) => e.id)).toEqual([res.exportId]);
  });

  it.each(['webp', 'jpeg'] as const)('keeps the recipe in %s files (XMP)', async (format) => {
    const store = tempStore();
    const gens = await fillStore(store);
    const folder = path.join(tempDir(), 'out');
    const res = await exportBatch(store, { query: { tag: 'keep' }, folder, format, template: '{id}-{prompt}' });
    expect(res.files).toEqual(
      [`${gens[0]!.id}-red-round`, `${gens[2]!.id}-green-ünïcode-🌿`].map((n) => `${n}.${format === 'jpeg' ? 'jpg' : 'webp'}`),
    );
    const back = await readImageRecipe(fs.readFileSync(path.join(folder, res.files[1]!)));
    expect(back.recipe).toMatchObject({ prompt: 'green, ünïcode 🌿', seed: 3, generationId: gens[2]!.id });
    expect(back.parameters).toMatch(/^green, ünïcode 🌿\nSteps: 100, Seed: 3/u);
  });

  it('selects by run and rating, and writes a zip with the same files and manifest', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const zip = path.join(tempDir(), 'best.zip');
    const res = await exportBatch(store, { query: { runId: gens[0]!.runId, minRating: 4 }, zip, template: '{prompt}' });
    expect(res.zip).toBe(zip);
    const entries = await readZip(zip);
    expect([...entries.keys()]).toEqual(['red-round.png', 'green-ünïcode-🌿.png', 'manifest.json', 'manifest.csv']);
    expect((await readImageRecipe(entries.get('red-round.png')!)).recipe?.generationId).toBe(gens[0]!.id);
    expect(fs.readdirSync(path.dirname(zip))).toEqual(['best.zip']);
    expect(store.exports.get(res.exportId!)!.kind).toBe('zip');
  });

  it('exports image files given by path, linking them to their generation when the store has it', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const first = path.join(tempDir(), 'first');
    await exportBatch(store, { generationIds: [gens[0]!.id], folder: first });
    const file = path.join(
      first,
      fs.readdirSync(first).find((f) => f.endsWith('.png'))!,
    );
    const res = await exportBatch(store, { paths: [file], folder: path.join(tempDir(), 'again'), format: 'webp' });
    expect(store.exports.get(res.exportId!)!.files).toEqual([{ file: res.files[0], generationId: gens[0]!.id, sourcePath: file }]);
  });

  it('applies palette snapping and upscaling to every file, keeping the recipe', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const folder = path.join(tempDir(), 'px');
    const res = await exportBatch(store, { generationIds: [gens[0]!.id], folder, palette: ['#000000', '#ffffff', '#ff0000'], upscale: 4 });
    const file = fs.readFileSync(path.join(folder, res.files[0]!));
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([128, 128, 4]);
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    expect([...colours]).toEqual(['255,0,0']);
    const { recipe, parameters } = await readImageRecipe(file);
    expect(recipe).toMatchObject({ generationId: gens[0]!.id, size: 32, upscale: 4 });
    // The A1111 text gives the file's own size, and how it was made from the drawn one.
    expect(parameters).toMatch(/Size: 128x128, .*Upscale: 4x nearest from 32x32/);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')).files[0].recipe).toMatchObject({ upscale: 4 });
  });

  it('disambiguates names that clash (also only in case) in selection order', async () => {
    const store = tempStore();
    const gens = await fillStore(store, [
      { prompt: 'Fox', seed: 1, rgba: [1, 2, 3, 255] },
      { prompt: 'fox', seed: 2, rgba: [1, 2, 3, 255] },
      { prompt: 'fox', seed: 3, rgba: [1, 2, 3, 255] },
    ]);
    const res = await exportBatch(store, { generationIds: gens.map((g) => g.id), folder: path.join(tempDir(), 'o'), template: '{prompt}' });
    expect(res.files).toEqual(['Fox.png', 'fox-2.png', 'fox-3.png']);
  });

  it('refuses bad requests with one clear line and writes nothing', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const dir = tempDir();
    const folder = path.join(dir, 'o');
    const cases: [object, RegExp][] = [
      [{ query: { tag: 'nothing-has-this' }, folder }, /selection is empty/],
      [{ generationIds: [], folder }, /selection is empty/],
      [{ generationIds: [9999], folder }, /no image 9999/],
      [{ generationIds: [gens[0]!.id], query: {}, folder }, /exactly one of generationIds, query or paths/],
      [{ generationIds: [gens[0]!.id] }, /exactly one of folder or zip/],
      [{ generationIds: [gens[0]!.id], folder, template: '{colour}' }, /Unknown template field \{colour\}/],
      [{ generationIds: [gens[0]!.id], folder, template: '///' }, /empty file name/],
      [{ generationIds: [gens[0]!.id], folder, format: 'gif' }, /format/],
      [{ paths: [path.join(dir, 'missing.png')], folder }, /Cannot read the image/],
    ];
    for (const [request, message] of cases) await expect(exportBatch(store, request)).rejects.toThrow(message);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('refuses a non-empty folder or an existing zip unless overwrite, leaving them as they were', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'mine.txt'), 'keep me');
    const zip = path.join(folder, 'mine.zip');
    fs.writeFileSync(zip, 'not yours');
    await expect(exportBatch(store, { generationIds: [gens[0]!.id], folder })).rejects.toThrow(
      /is not empty; choose another folder or pass --overwrite/,
    );
    await expect(exportBatch(store, { generationIds: [gens[0]!.id], zip })).rejects.toThrow(/mine.zip exists/);
    expect(fs.readdirSync(folder).sort()).toEqual(['mine.txt', 'mine.zip']);
    expect(fs.readFileSync(zip, 'utf8')).toBe('not yours');
    await exportBatch(store, { generationIds: [gens[0]!.id], folder, overwrite: true });
    expect(fs.readFileSync(path.join(folder, 'mine.txt'), 'utf8')).toBe('keep me');
    await exportBatch(store, { generationIds: [gens[0]!.id], zip, overwrite: true });
    expect((await readZip(zip)).size).toBe(3);
  });
});

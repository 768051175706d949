// Export as every shell asks for it, over a real store: gallery ids, queries and image files by path
// become export items, the store records each export with the generation of every file, and images
// whose run has no training folder are reported as not checked for near copies (near copies themselves
// are proved over a trained run in originality.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportToFolder, exportToSheet } from '#core/service/export-items';
import { Originality } from '#core/service/originality';
import { fillStore } from '#test/fixtures/export-store';
import { readZip } from '#test/fixtures/read-zip';
import { tempDir, tempStore } from '../store/temp-home';

describe('exportToFolder', () => {
  it('exports gallery ids and records the export with each file’s generation', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const folder = path.join(tempDir(), 'out');
    const res = await exportToFolder({ store, originality: new Originality(store) }, { generationIds: gens.map((g) => g.id) }, { folder });
    expect(res.files).toEqual(['fixture-gan32_1_red-round.png', 'fixture-gan32_2_blue-square.png', 'fixture-gan32_3_green-ünïcode-🌿.png']);
    const record = store.exports.get(res.exportId!)!;
    expect(record).toMatchObject({ kind: 'folder', target: folder, options: { format: 'png', template: '{run}_{seed}_{prompt}' } });
    expect(record.files.map((f) => f.generationId)).toEqual(gens.map((g) => g.id));
    expect(store.exports.forGeneration(gens[1]!.id).map((e) => e.id)).toEqual([res.exportId]);
    // The fixture's run has no training folder to compare with: reported, not refused.
    expect([res.copies, res.unchecked]).toEqual([[], gens.map((g) => g.id)]);
  });

  it('selects by tag, or by run and rating, in ascending id order, and records a zip', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const byTag = await exportToFolder({ store }, { query: { tag: 'keep' } }, { folder: path.join(tempDir(), 'o'), template: '{id}' });
    expect(byTag.files).toEqual([`${gens[0]!.id}.png`, `${gens[2]!.id}.png`]);
    const zip = path.join(tempDir(), 'best.zip');
    const res = await exportToFolder({ store }, { query: { runId: gens[0]!.runId, minRating: 4 } }, { zip, template: '{prompt}' });
    expect([...(await readZip(zip)).keys()]).toEqual(['red-round.png', 'green-ünïcode-🌿.png', 'manifest.json', 'manifest.csv']);
    expect(store.exports.get(res.exportId!)!.kind).toBe('zip');
    // Without an originality check nothing is reported as unchecked.
    expect(res.unchecked).toEqual([]);
  });

  it('exports image files by path, linking them to their generation only while the gallery has it', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const first = path.join(tempDir(), 'first');
    await exportToFolder({ store }, { generationIds: [gens[0]!.id] }, { folder: first });
    const file = path.join(
      first,
      fs.readdirSync(first).find((f) => f.endsWith('.png'))!,
    );
    const res = await exportToFolder({ store }, { paths: [file] }, { folder: path.join(tempDir(), 'again'), format: 'webp' });
    expect(store.exports.get(res.exportId!)!.files).toEqual([{ file: res.files[0], generationId: gens[0]!.id, sourcePath: file }]);
    const other = tempStore();
    const unknown = await exportToFolder({ store: other }, { paths: [file] }, { folder: path.join(tempDir(), 'elsewhere') });
    expect(other.exports.get(unknown.exportId!)!.files[0]).toMatchObject({ generationId: null, sourcePath: file });
    const bare = await exportToFolder({}, { paths: [file] }, { folder: path.join(tempDir(), 'bare') });
    expect(bare.exportId).toBeNull();
  });

  it('refuses a selection it cannot make with one clear line, and writes and records nothing', async () => {
    const store = tempStore();
    const dir = tempDir();
    const folder = path.join(dir, 'o');
    await fillStore(store);
    const cases: [Parameters<typeof exportToFolder>[1], RegExp][] = [
      [{ query: { tag: 'nothing-has-this' } }, /selection is empty/],
      [{ generationIds: [] }, /selection is empty/],
      [{ generationIds: [9999] }, /no image 9999/],
      [{ paths: [path.join(dir, 'missing.png')] }, /Cannot read the image/],
    ];
    for (const [selection, message] of cases) await expect(exportToFolder({ store }, selection, { folder })).rejects.toThrow(message);
    await expect(exportToFolder({}, { generationIds: [1] }, { folder })).rejects.toThrow(/needs the app data store/);
    // A taken target is refused first, before any image is read.
    fs.writeFileSync(path.join(dir, 'taken.png'), 'mine');
    await expect(
      exportToSheet({ store }, { paths: [path.join(dir, 'missing.png')] }, { sheet: path.join(dir, 'taken.png') }),
    ).rejects.toThrow(/taken.png exists/);
    expect(fs.existsSync(folder)).toBe(false);
    expect(store.exports.forGeneration(1)).toEqual([]);
  });
});

describe('exportToSheet', () => {
  it('packs the chosen ids in their order and records the sheet with each frame’s generation', async () => {
    const store = tempStore();
    const gens = await fillStore(store);
    const ids = [gens[2]!.id, gens[0]!.id, gens[1]!.id];
    const res = await exportToSheet({ store }, { generationIds: ids }, { sheet: path.join(tempDir(), 's.png'), template: '{seed}' });
    expect(res.frames).toEqual(['3.png', '1.png', '2.png']);
    const record = store.exports.get(res.exportId!)!;
    expect(record).toMatchObject({ kind: 'sheet', target: res.sheet, options: { mode: 'pack' } });
    expect(record.files.map((f) => f.generationId)).toEqual(ids);
  });
});

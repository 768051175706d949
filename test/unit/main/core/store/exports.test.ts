import { describe, expect, it } from 'vitest';
import { fillStore } from '#test/fixtures/export-store';
import { tempStore } from './temp-home';

describe('exports (lineage)', () => {
  it('records an export with its files in one go and finds it from each source generation', async () => {
    const store = tempStore();
    const [a, b] = await fillStore(store);
    const id = store.exports.record({
      kind: 'sheet',
      target: '/tmp/sheet.png',
      options: { padding: 2 },
      now: 5,
      files: [
        { file: 'a', generationId: a!.id, sourcePath: null },
        { file: 'b', generationId: b!.id, sourcePath: null },
      ],
    });
    expect(store.exports.get(id)).toEqual({
      id,
      kind: 'sheet',
      target: '/tmp/sheet.png',
      options: { padding: 2 },
      createdAt: 5,
      files: [
        { file: 'a', generationId: a!.id, sourcePath: null },
        { file: 'b', generationId: b!.id, sourcePath: null },
      ],
    });
    expect(store.exports.forGeneration(a!.id).map((e) => e.id)).toEqual([id]);
  });

  it('keeps the export when a source generation is deleted, with the link cleared', async () => {
    const store = tempStore();
    const [a] = await fillStore(store);
    const id = store.exports.record({
      kind: 'folder',
      target: '/x',
      options: {},
      files: [{ file: 'a.png', generationId: a!.id, sourcePath: null }],
    });
    await store.generations.delete(a!.id);
    expect(store.exports.get(id)!.files).toEqual([{ file: 'a.png', generationId: null, sourcePath: null }]);
  });

  it('refuses a file list naming a generation that does not exist, recording nothing', async () => {
    const store = tempStore();
    expect(() =>
      store.exports.record({ kind: 'folder', target: '/x', options: {}, files: [{ file: 'a.png', generationId: 999, sourcePath: null }] }),
    ).toThrow(/FOREIGN KEY/);
    expect(store.db.prepare('SELECT count(*) AS n FROM exports').get()).toEqual({ n: 0 });
  });
});

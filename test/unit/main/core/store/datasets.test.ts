import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetImageInput } from '#core/store/index';
import { tempDir, tempStore } from './temp-home';

const image = (p: string, caption: string | null = null): DatasetImageInput => ({
  path: p,
  contentHash: `hash-${p}`,
  size: 10,
  caption,
  captionSource: caption === null ? null : 'sidecar',
});

describe('datasets', () => {
  it('stores NFD and NFC spellings of a name as one row, in NFC', () => {
    const store = tempStore();
    const ds = store.datasets.add({ name: 'cafés', root: tempDir() });
    const nfd = 'Cafe\u0301/cre\u0300me.png';
    const nfc = nfd.normalize('NFC');
    expect(nfd).not.toBe(nfc);
    store.datasets.syncImages(ds.id, [image(nfd), image(nfc, 'a cup')]);
    const rows = store.datasets.images(ds.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.path).toBe(nfc);
    expect(rows[0]!.caption).toBe('a cup');
    // A later scan that spells it the other way updates the same row.
    store.datasets.syncImages(ds.id, [image(nfd, 'a tea cup')]);
    expect(store.datasets.images(ds.id)).toMatchObject([{ id: rows[0]!.id, path: nfc, caption: 'a tea cup' }]);
  });

  it('syncImages prunes images no longer accepted and counts what is left', () => {
    const store = tempStore();
    const ds = store.datasets.add({ name: 'd', root: tempDir() });
    store.datasets.syncImages(ds.id, [image('a.png'), image('b.png'), image('sub/c.png')]);
    store.datasets.syncImages(ds.id, [image('b.png'), image('sub/c.png')]);
    expect(store.datasets.images(ds.id).map((i) => i.path)).toEqual(['b.png', 'sub/c.png']);
    expect(store.datasets.get(ds.id)!.imageCount).toBe(2);
  });

  it('adding the same folder again returns the same dataset', () => {
    const store = tempStore();
    const root = tempDir();
    const a = store.datasets.add({ name: 'first', root });
    const b = store.datasets.add({ name: 'renamed', root: `${root}/.` });
    expect(b.id).toBe(a.id);
    expect(store.datasets.list()).toMatchObject([{ id: a.id, name: 'renamed', root }]);
  });

  it('searches captions with FTS, following caption edits, accents folded', () => {
    const store = tempStore();
    const ds = store.datasets.add({ name: 'd', root: tempDir() });
    store.datasets.syncImages(ds.id, [image('1.png', 'red fox in snow'), image('2.png', 'blue bird'), image('3.png', 'crème brûlée')]);
    expect(store.datasets.searchCaptions('fox').map((i) => i.path)).toEqual(['1.png']);
    expect(store.datasets.searchCaptions('creme brul').map((i) => i.path)).toEqual(['3.png']);
    const bird = store.datasets.images(ds.id).find((i) => i.path === '2.png')!;
    store.datasets.setCaption(bird.id, 'red bird');
    expect(
      store.datasets
        .searchCaptions('red', { datasetId: ds.id })
        .map((i) => i.path)
        .sort(),
    ).toEqual(['1.png', '2.png']);
    expect(store.datasets.images(ds.id).find((i) => i.id === bird.id)!.captionSource).toBe('manual');
    expect(store.datasets.searchCaptions('"*: AND')).toEqual([]);
  });

  it('removing a dataset forgets its rows and leaves the folder alone', () => {
    const store = tempStore();
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'a.png'), 'x');
    const ds = store.datasets.add({ name: 'd', root });
    store.datasets.syncImages(ds.id, [image('a.png')]);
    store.datasets.remove(ds.id);
    expect(store.datasets.list()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM dataset_images').get()).toEqual({ n: 0 });
    expect(fs.readFileSync(path.join(root, 'a.png'), 'utf8')).toBe('x');
  });
});

// Bulk changes to a selection and the trash, on a real SQLite store with real PNG files: a delete is
// undone by restoring, and only emptying the trash removes rows and files.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GalleryService } from '#core/service/gallery';
import { fillStore } from '#test/fixtures/export-store';
import { tempStore } from '../store/temp-home';

async function gallery() {
  const store = tempStore();
  const images = await fillStore(store, [
    { prompt: 'red knight', seed: 1, rgba: [200, 30, 30, 255] },
    { prompt: 'blue knight', seed: 2, rgba: [30, 30, 200, 255], tags: ['old'] },
    { prompt: 'green archer', seed: 3, rgba: [30, 200, 30, 255] },
  ]);
  return { store, ids: images.map((g) => g.id), service: new GalleryService(store) };
}

const prompts = (page: { items: { prompt: string }[] }) => page.items.map((g) => g.prompt);

describe('gallery.bulk', () => {
  it('tags, rates and favourites every image of a selection, and only those', async () => {
    const { service, ids } = await gallery();
    const [a, b, c] = ids as [number, number, number];
    expect(service.bulk([a, b, b], { kind: 'tag', add: ['Keep'], remove: ['old'] })).toMatchObject({ changed: 2, trashCount: 0 });
    service.bulk([a, b], { kind: 'rate', rating: 4 });
    service.bulk([b, c], { kind: 'favourite', favourite: true });
    expect([a, b, c].map((id) => service.get(id))).toMatchObject([
      { tags: ['keep'], rating: 4, favourite: false },
      { tags: ['keep'], rating: 4, favourite: true },
      { tags: [], rating: null, favourite: true },
    ]);
    expect(prompts(service.query({ tag: 'keep' }))).toEqual(['blue knight', 'red knight']);
  });

  it('changes nothing when one id of the selection does not exist', async () => {
    const { service, ids } = await gallery();
    expect(() => service.bulk([ids[0]!, 999], { kind: 'rate', rating: 2 })).toThrow(/no image 999/);
    expect(service.get(ids[0]!).rating).toBeNull();
  });
});

describe('the trash', () => {
  it('hides trashed images, restores them, and removes files only when emptied', async () => {
    const { store, service, ids } = await gallery();
    const [a, b, c] = ids as [number, number, number];
    const file = (id: number) => store.files.resolve(store.generations.get(id)!.path);
    const fileOfB = file(b);
    expect(service.bulk([a, b], { kind: 'trash' })).toMatchObject({ changed: 2, trashCount: 2 });
    expect(prompts(service.query({}))).toEqual(['green archer']);
    expect(prompts(service.query({ trashed: true }))).toEqual(['blue knight', 'red knight']);
    expect(prompts(service.query({ text: 'knight' }))).toEqual([]);
    expect(service.get(a).trashedAt).toEqual(expect.any(Number));
    expect(existsSync(fileOfB)).toBe(true);

    expect(service.restore([a])).toEqual({ restored: 1 });
    expect(prompts(service.query({}))).toEqual(['green archer', 'red knight']);
    expect(service.trashCount()).toEqual({ count: 1 });

    expect(await service.emptyTrash()).toEqual({ removed: 1 });
    expect(existsSync(fileOfB)).toBe(false);
    expect(store.generations.get(b)).toBeUndefined();
    expect(existsSync(file(a))).toBe(true);
    expect(existsSync(file(c))).toBe(true);
    expect(service.trashCount()).toEqual({ count: 0 });
  });

  it('restores everything in the trash when no ids are given; a second trash keeps the first time', async () => {
    const { service, ids } = await gallery();
    service.bulk(ids, { kind: 'trash' });
    const first = service.get(ids[0]!).trashedAt;
    expect(service.bulk(ids, { kind: 'trash' }).changed).toBe(0);
    expect(service.get(ids[0]!).trashedAt).toBe(first);
    expect(service.restore()).toEqual({ restored: 3 });
    expect(service.query({}).items).toHaveLength(3);
  });
});

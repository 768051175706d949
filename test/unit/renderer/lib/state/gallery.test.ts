import { describe, expect, it } from 'vitest';
import { GalleryState } from '../../../../../renderer/lib/state/gallery.svelte';
import { fakeApi, generation } from '#test/unit/renderer/fake-api';

// A store of `n` generations, newest first, paged by an id cursor the way the server's keyset pages are.
function pagedStore(n: number) {
  return (input: { limit: number; cursor?: string; minRating?: number }) => {
    const below = input.cursor ? Number(input.cursor) : n + 1;
    const ids = [];
    for (let id = below - 1; id >= 1 && ids.length < input.limit; id--) ids.push(id);
    const last = ids[ids.length - 1];
    return { items: ids.map((id) => generation(id)), next: last! > 1 ? String(last) : null };
  };
}

describe('GalleryState', () => {
  it('loads keyset pages in order until the last one', async () => {
    const f = fakeApi({ 'gallery.query': pagedStore(450) });
    const g = new GalleryState(f.api);
    await g.reload();
    await g.loadMore();
    await g.loadMore();
    await g.loadMore();
    expect(g.items.length).toBe(450);
    expect(g.items[0]!.id).toBe(450);
    expect(g.items[449]!.id).toBe(1);
    expect(g.next).toBeNull();
    expect(f.calls.length).toBe(3);
    expect(f.calls[1]!.input.cursor).toBe('251');
  });

  it('sends only the filters that are set', async () => {
    const f = fakeApi({ 'gallery.query': () => ({ items: [], next: null }) });
    const g = new GalleryState(f.api);
    g.filters = { runId: 2, checkpointId: null, text: ' red ', tag: '', minRating: 4, favourite: true, trashed: false, sequences: null };
    await g.reload();
    expect(f.calls[0]!.input).toEqual({ limit: 200, runId: 2, text: 'red', minRating: 4, favourite: true });
    g.filters = { ...g.filters, runId: null, text: '', minRating: null, favourite: false, sequences: false };
    await g.reload();
    expect(f.calls[1]!.input).toEqual({ limit: 200, sequences: false });
    expect(g.unfiltered).toBe(false);
  });

  it('ignores a slower answer to an older filter', async () => {
    let release!: () => void;
    const f = fakeApi({
      'gallery.query': (i) =>
        i.text === 'old'
          ? new Promise((r) => (release = () => r({ items: [generation(1)], next: null })))
          : { items: [generation(2)], next: null },
    });
    const g = new GalleryState(f.api);
    g.filters.text = 'old';
    const first = g.reload();
    g.filters.text = 'new';
    await g.reload();
    release();
    await first;
    expect(g.items.map((x) => x.id)).toEqual([2]);
  });

  it('rates, tags and deletes in place, and new images appear at the top only when unfiltered', async () => {
    const f = fakeApi({
      'gallery.query': () => ({ items: [generation(2), generation(1)], next: null }),
      'gallery.get': (i) => ({
        generation: generation(i.id),
        recipe: null,
        parameters: null,
        file: '/x.png',
        fileExists: true,
        checkpointStep: 10,
      }),
      'gallery.rate': (i) => generation(i.id, { rating: i.rating }),
      'gallery.tag': (i) => generation(i.id, { tags: i.add }),
      'gallery.bulk': (i) => ({ changed: i.ids.length, trashCount: i.ids.length, items: [] }),
    });
    const g = new GalleryState(f.api);
    await g.reload();
    await g.open(2);
    await g.rate(2, 5);
    expect(g.items[0]!.rating).toBe(5);
    expect(g.detail!.generation.rating).toBe(5);
    await g.tag(1, ['keeper']);
    expect(g.items[1]!.tags).toEqual(['keeper']);
    await g.remove(2);
    expect(g.items.map((x) => x.id)).toEqual([1]);
    expect(g.detail).toBeNull();
    expect(f.calls.at(-1)).toMatchObject({ method: 'gallery.bulk', input: { ids: [2], change: { kind: 'trash' } } });
    expect([g.trashCount, g.lastTrashed]).toEqual([1, [2]]);

    f.emit({ type: 'generation.image', jobId: 'j', index: 0, total: 1, generation: generation(3), cell: null });
    expect(g.items[0]!.id).toBe(3);
    g.filters.favourite = true;
    f.emit({ type: 'generation.image', jobId: 'j', index: 0, total: 1, generation: generation(4), cell: null });
    expect(g.items[0]!.id).toBe(3);
  });

  it('selects by click and shift-click range, changes the selection at once, and undoes a move to the trash', async () => {
    let trashed: number[] = [];
    const all = [5, 4, 3, 2, 1].map((id) => generation(id));
    const f = fakeApi({
      'gallery.query': () => ({ items: all.filter((x) => !trashed.includes(x.id)), next: null }),
      'gallery.bulk': (i) => {
        if (i.change.kind === 'trash') trashed = [...trashed, ...i.ids];
        return {
          changed: i.ids.length,
          trashCount: trashed.length,
          items: i.change.kind === 'rate' ? i.ids.map((id: number) => generation(id, { rating: i.change.rating })) : [],
        };
      },
      'gallery.restore': (i) => {
        trashed = trashed.filter((id) => !i.ids.includes(id));
        return { restored: i.ids.length };
      },
      'gallery.trashCount': () => ({ count: trashed.length }),
    });
    const g = new GalleryState(f.api);
    await g.reload();
    g.toggle(4);
    g.toggle(2, true);
    expect(g.selected).toEqual([4, 3, 2]);
    g.toggle(3);
    expect(g.selected).toEqual([4, 2]);
    g.toggle(5, true);
    expect(g.selected).toEqual([5, 4, 3, 2]);
    expect(await g.bulk({ kind: 'rate', rating: 3 })).toBe(4);
    expect(g.items.map((x) => x.rating)).toEqual([3, 3, 3, 3, null]);
    g.clearSelection();
    g.selectAll();
    expect(g.selected).toEqual([5, 4, 3, 2, 1]);
    g.clearSelection();
    g.toggle(1);
    g.toggle(2);
    await g.trash();
    expect(g.items.map((x) => x.id)).toEqual([5, 4, 3]);
    expect([g.selected, g.trashCount]).toEqual([[], 2]);
    await g.undo();
    expect(g.items.map((x) => x.id)).toEqual([5, 4, 3, 2, 1]);
    expect(g.trashCount).toBe(0);
  });
});

// The Gallery: filters, keyset pages appended as the grid scrolls, the open image's detail, a
// selection for bulk changes, and the trash (a delete is undone until the trash is emptied).
import type { BulkChange } from '#shared/api/gallery';
import type { Input } from '#shared/api/index';
import type { Api } from '../api/client';
import type { GenerationDetailT, GenerationT } from '../api/types';

export interface Filters {
  runId: number | null;
  checkpointId: number | null;
  text: string;
  tag: string;
  minRating: number | null;
  favourite: boolean;
  /** Show the trash instead of the gallery. */
  trashed: boolean;
  /** true: only sequences; false: only single images; null: both. */
  sequences: boolean | null;
}

const PAGE = 200;

export class GalleryState {
  filters = $state<Filters>({
    runId: null,
    checkpointId: null,
    text: '',
    tag: '',
    minRating: null,
    favourite: false,
    trashed: false,
    sequences: null,
  });
  /** Ids of the selected images, in the order shown. */
  selected = $state<number[]>([]);
  trashCount = $state(0);
  /** The images last moved to the trash, for "Undo". */
  lastTrashed = $state<number[]>([]);
  /** Where a shift-click selection starts: the image clicked last. */
  private anchor: number | null = null;
  items = $state<GenerationT[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  detail = $state<GenerationDetailT | null>(null);
  error = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly api: Api) {
    api.on((e) => {
      // New images show up at the top when nothing filters them out.
      if (e.type === 'generation.image' && this.unfiltered && !this.filters.trashed) this.items.unshift(e.generation);
    });
  }

  get unfiltered(): boolean {
    const f = this.filters;
    return f.runId === null && f.checkpointId === null && !f.text && !f.tag && f.minRating === null && !f.favourite && f.sequences === null;
  }

  query(cursor?: string): Input<'gallery.query'> {
    const f = this.filters;
    return {
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
      ...(f.runId !== null ? { runId: f.runId } : {}),
      ...(f.checkpointId !== null ? { checkpointId: f.checkpointId } : {}),
      ...(f.text.trim() ? { text: f.text.trim() } : {}),
      ...(f.tag.trim() ? { tag: f.tag.trim() } : {}),
      ...(f.minRating !== null ? { minRating: f.minRating } : {}),
      ...(f.favourite ? { favourite: true } : {}),
      ...(f.trashed ? { trashed: true } : {}),
      ...(f.sequences !== null ? { sequences: f.sequences } : {}),
    };
  }

  /** First page for the current filters; an older request finishing late is ignored. */
  async reload(): Promise<void> {
    const mine = ++this.generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.api.call('gallery.query', this.query());
      if (mine !== this.generation) return;
      this.items = page.items;
      this.next = page.next;
      // A lookup made and read within this function: nothing reacts to it, so a plain Set.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const shown = new Set(page.items.map((g) => g.id));
      this.selected = this.selected.filter((id) => shown.has(id));
    } catch (e) {
      if (mine === this.generation) this.error = (e as Error).message;
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  async refreshTrash(): Promise<void> {
    this.trashCount = (await this.api.call('gallery.trashCount', {})).count;
  }

  async loadMore(): Promise<void> {
    if (this.loading || this.next === null) return;
    const mine = this.generation;
    this.loading = true;
    try {
      const page = await this.api.call('gallery.query', this.query(this.next));
      if (mine !== this.generation) return;
      this.items.push(...page.items);
      this.next = page.next;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }

  async open(id: number): Promise<void> {
    this.detail = await this.api.call('gallery.get', { id });
  }

  close(): void {
    this.detail = null;
  }

  private replace(g: GenerationT): void {
    const i = this.items.findIndex((x) => x.id === g.id);
    if (i >= 0) this.items[i] = g;
    if (this.detail?.generation.id === g.id) this.detail.generation = g;
  }

  rate = async (id: number, rating: number | null) => this.replace(await this.api.call('gallery.rate', { id, rating }));
  favourite = async (id: number, favourite: boolean) => this.replace(await this.api.call('gallery.favourite', { id, favourite }));
  tag = async (id: number, add: string[], remove: string[] = []) => this.replace(await this.api.call('gallery.tag', { id, add, remove }));
  /** Keeps the speed a sequence plays at; its tile plays at it too. */
  setFps = async (generationId: number, fps: number) => this.replace(await this.api.call('sequence.fps', { generationId, fps }));

  /** Into the trash (undoable); the images leave the grid at once. */
  async remove(id: number): Promise<void> {
    await this.trash([id]);
  }

  /**
   * A click on a tile with the selection keys: plain toggles the image (Ctrl/Cmd too), shift adds
   * every image from the last one clicked to this one.
   */
  toggle(id: number, range = false): void {
    const at = (x: number) => this.items.findIndex((g) => g.id === x);
    const from = this.anchor === null ? -1 : at(this.anchor);
    if (range && from >= 0) {
      const to = at(id);
      const span = this.items.slice(Math.min(from, to), Math.max(from, to) + 1).map((g) => g.id);
      this.selected = this.inOrder([...this.selected, ...span]);
    } else {
      this.selected = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : this.inOrder([...this.selected, id]);
    }
    this.anchor = id;
  }

  selectAll(): void {
    this.selected = this.items.map((g) => g.id);
  }

  clearSelection(): void {
    this.selected = [];
    this.anchor = null;
  }

  isSelected(id: number): boolean {
    return this.selected.includes(id);
  }

  /** A tag, rating or favourite for every selected image; the grid shows the new values. */
  async bulk(change: Exclude<BulkChange, { kind: 'trash' | 'restore' }>): Promise<number> {
    const { changed, items } = await this.api.call('gallery.bulk', { ids: [...this.selected], change });
    for (const g of items) this.replace(g);
    return changed;
  }

  async trash(ids: number[] = [...this.selected]): Promise<void> {
    if (!ids.length) return;
    const { trashCount } = await this.api.call('gallery.bulk', { ids, change: { kind: 'trash' } });
    this.leave(ids);
    this.trashCount = trashCount;
    this.lastTrashed = ids;
  }

  /** Brings back the images last moved to the trash. */
  async undo(): Promise<void> {
    const ids = this.lastTrashed;
    if (!ids.length) return;
    await this.api.call('gallery.restore', { ids });
    this.lastTrashed = [];
    await Promise.all([this.reload(), this.refreshTrash()]);
  }

  /** Out of the trash: the selection, or everything in it. */
  async restore(ids: number[] = [...this.selected]): Promise<number> {
    const { restored } = await this.api.call('gallery.restore', ids.length ? { ids } : {});
    await Promise.all([this.reload(), this.refreshTrash()]);
    return restored;
  }

  async emptyTrash(): Promise<number> {
    const { removed } = await this.api.call('gallery.emptyTrash', {});
    this.lastTrashed = [];
    await Promise.all([this.reload(), this.refreshTrash()]);
    return removed;
  }

  /** The gallery or its trash; the selection does not carry over. */
  async showTrash(on: boolean): Promise<void> {
    this.filters.trashed = on;
    this.clearSelection();
    this.detail = null;
    await this.reload();
  }

  private leave(ids: number[]): void {
    // A lookup made and read within this function: nothing reacts to it, so a plain Set.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const gone = new Set(ids);
    this.items = this.items.filter((g) => !gone.has(g.id));
    this.selected = this.selected.filter((id) => !gone.has(id));
    if (this.detail && gone.has(this.detail.generation.id)) this.detail = null;
  }

  private inOrder(ids: number[]): number[] {
    // A lookup made and read within this function: nothing reacts to it, so a plain Set.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const want = new Set(ids);
    return this.items.filter((g) => want.has(g.id)).map((g) => g.id);
  }
}

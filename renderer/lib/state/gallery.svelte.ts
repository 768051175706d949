// The Gallery: filters, keyset pages appended as the grid scrolls, and the open image's detail.
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
}

const PAGE = 200;

export class GalleryState {
  filters = $state<Filters>({ runId: null, checkpointId: null, text: '', tag: '', minRating: null, favourite: false });
  items = $state<GenerationT[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  detail = $state<GenerationDetailT | null>(null);
  error = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly api: Api) {
    api.on((e) => {
      // New images show up at the top when nothing filters them out.
      if (e.type === 'generation.image' && this.unfiltered) this.items.unshift(e.generation);
    });
  }

  get unfiltered(): boolean {
    const f = this.filters;
    return f.runId === null && f.checkpointId === null && !f.text && !f.tag && f.minRating === null && !f.favourite;
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
    } catch (e) {
      if (mine === this.generation) this.error = (e as Error).message;
    } finally {
      if (mine === this.generation) this.loading = false;
    }
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

  async remove(id: number): Promise<void> {
    await this.api.call('gallery.delete', { id });
    this.items = this.items.filter((g) => g.id !== id);
    if (this.detail?.generation.id === id) this.detail = null;
  }
}

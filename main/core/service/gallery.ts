// The gallery over the store's generations: keyset pages, details with the recipe read back from the
// file itself, rating, favourite, tags, delete, reveal; the same changes for a selection at once, and
// the trash that makes a delete undoable until it is emptied.
import { promises as fs } from 'node:fs';
import type { BulkChange, Generation, GenerationDetail } from '#shared/api/gallery';
import { Recipe } from '#shared/api/gallery';
import type { Page } from '../store/page';
import type { Generation as StoredGeneration, GenerationQuery } from '../store/generations';
import type { Store } from '../store';
import { splitWords } from '#shared/text/tokenize';
import { readRecipe } from '../media/png-meta';
import { pageSize } from '../store/page';
import { mustExist } from './errors';
import { UserError } from '../errors';

export class GalleryService {
  constructor(
    private readonly store: Store,
    /** Shows a file in the OS file manager (Electron); web mode cannot. */
    private readonly revealFile: (file: string) => boolean = () => false,
  ) {}

  /**
   * A page of the gallery. In `text`, a word written `-word` excludes prompts with a word starting
   * so; store pages are read until the page is full (or EXCLUDE_PAGES were read), each asking only
   * for what is still missing so that the cursor stays exact.
   */
  query(input: GenerationQuery): Page<Generation> {
    const { include, exclude } = splitSearch(input.text ?? '');
    const query = { ...input, text: include || undefined };
    if (exclude.length === 0) {
      const page = this.store.generations.search(query);
      return { items: page.items.map(toApi), next: page.next };
    }
    const limit = pageSize(input.limit);
    const items: Generation[] = [];
    let cursor = input.cursor;
    for (let read = 0; read < EXCLUDE_PAGES && items.length < limit; read++) {
      const page = this.store.generations.search({ ...query, limit: limit - items.length, cursor });
      items.push(...page.items.filter((g) => !mentions(g.prompt, exclude)).map(toApi));
      cursor = page.next ?? undefined;
      if (!cursor) break;
    }
    return { items, next: cursor ?? null };
  }

  get(id: number): Generation {
    return toApi(this.row(id));
  }

  async detail(id: number): Promise<GenerationDetail> {
    const row = this.row(id);
    const generation = toApi(row);
    const file = this.store.files.resolve(row.path);
    const bytes = await fs.readFile(file).catch(() => null);
    const embedded = bytes ? safeRecipe(bytes) : {};
    const parsed = Recipe.safeParse(embedded.recipe);
    const checkpoint =
      generation.checkpointId === null
        ? undefined
        : this.store.runs.checkpoints(generation.runId).find((c) => c.id === generation.checkpointId);
    return {
      generation,
      recipe: parsed.success ? parsed.data : null,
      parameters: embedded.parameters ?? null,
      file,
      fileExists: bytes !== null,
      checkpointStep: checkpoint?.step ?? null,
      exports: this.store.exports.forGeneration(id).map((e) => ({
        id: e.id,
        kind: e.kind,
        target: e.target,
        file: e.files.find((f) => f.generationId === id)!.file,
        createdAt: e.createdAt,
      })),
    };
  }

  rate(id: number, rating: number | null): Generation {
    this.store.generations.setRating(this.get(id).id, rating);
    return this.get(id);
  }

  favourite(id: number, favourite: boolean): Generation {
    this.store.generations.setFavourite(this.get(id).id, favourite);
    return this.get(id);
  }

  tag(id: number, add: string[], remove: string[]): Generation {
    this.get(id);
    this.store.db.transaction(() => {
      this.store.generations.removeTags(id, remove);
      this.store.generations.addTags(id, add);
    })();
    return this.get(id);
  }

  async delete(id: number): Promise<{ ok: true }> {
    await this.store.generations.delete(this.get(id).id);
    return { ok: true };
  }

  /** One change to every image of a selection, all or nothing; unknown ids are refused by number. */
  bulk(ids: readonly number[], change: BulkChange): { changed: number; trashCount: number; items: Generation[] } {
    const unique = [...new Set(ids)];
    const g = this.store.generations;
    const changed = this.store.db.transaction(() => {
      const missing = unique.filter((id) => !g.get(id));
      if (missing.length) throw new UserError(`There is no image ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`);
      switch (change.kind) {
        case 'tag':
          for (const id of unique) {
            g.removeTags(id, change.remove);
            g.addTags(id, change.add);
          }
          return unique.length;
        case 'rate':
          unique.forEach((id) => g.setRating(id, change.rating));
          return unique.length;
        case 'favourite':
          unique.forEach((id) => g.setFavourite(id, change.favourite));
          return unique.length;
        case 'trash':
          return g.trash(unique);
        case 'restore':
          return g.restore(unique);
      }
    })();
    return { changed, trashCount: g.trashCount(), items: unique.map((id) => this.get(id)) };
  }

  trashCount(): { count: number } {
    return { count: this.store.generations.trashCount() };
  }

  /** Out of the trash: the ones named, or every image in it. */
  restore(ids?: readonly number[]): { restored: number } {
    return { restored: this.store.generations.restore(ids ?? this.store.generations.trashedIds()) };
  }

  async emptyTrash(): Promise<{ removed: number }> {
    return { removed: await this.store.generations.emptyTrash() };
  }

  reveal(id: number): { file: string; shown: boolean } {
    const file = this.store.files.resolve(this.row(id).path);
    return { file, shown: this.revealFile(file) };
  }

  private row(id: number): StoredGeneration {
    return mustExist(this.store.generations.get(id), `image ${id}`);
  }
}

const EXCLUDE_PAGES = 50;

/** Search words, and the `-word`s to leave out (normalised as the full-text index does). */
export function splitSearch(text: string): { include: string; exclude: string[] } {
  const words = text.split(/\s+/u).filter(Boolean);
  return {
    include: words.filter((w) => !/^-./u.test(w)).join(' '),
    exclude: words.filter((w) => /^-./u.test(w)).flatMap((w) => splitWords(w.slice(1))),
  };
}

function mentions(prompt: string, words: string[]): boolean {
  const own = splitWords(prompt);
  return words.some((w) => own.some((o) => o.startsWith(w)));
}

/** The API names images by id; the stored path stays inside the app. */
export function toApi({ path: _path, ...generation }: StoredGeneration): Generation {
  return generation;
}

function safeRecipe(bytes: Buffer): ReturnType<typeof readRecipe> {
  try {
    return readRecipe(bytes);
  } catch {
    return {};
  }
}

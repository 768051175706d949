// Generated images: the file under images/ plus a row with everything needed to make it again, the
// user's rating, favourite flag and tags. The file is made durable before its row is inserted, so a
// crash leaves at worst an orphan file, never a row without its image. Deleting from the gallery puts
// an image in the trash (row and file kept, hidden from searches) until the trash is emptied.
import type { Statement } from 'better-sqlite3';
import { normalizeText } from '#shared/text/tokenize';
import type { AppFiles } from './files';
import type { Db } from './open';
import type { JsonObject } from './runs';
import { UserError } from '../errors';
import { ftsQuery } from './fts';
import { decodeCursor, pageSize, toPage, type Page } from './page';

export interface Generation {
  id: number;
  /** Image file, relative to the app data folder. */
  path: string;
  prompt: string;
  negative: string;
  seed: number;
  runId: number;
  checkpointId: number | null;
  backend: string;
  params: JsonObject;
  /** 1–5, null when unrated. */
  rating: number | null;
  favourite: boolean;
  tags: string[];
  createdAt: number;
  /** When it was put in the trash; null when it is not there. */
  trashedAt: number | null;
}

export interface NewGeneration {
  /** Encoded image bytes. */
  image: Uint8Array;
  /** File extension without the dot. */
  ext?: string;
  prompt: string;
  negative?: string;
  seed: number;
  runId: number;
  checkpointId?: number | null;
  backend: string;
  params?: JsonObject;
  tags?: readonly string[];
  /** Creation time; raised to the newest existing createdAt if earlier, so time order is id order. */
  now?: number;
}

export interface GenerationQuery {
  /** Words that must all appear in the prompt (prefix match). */
  text?: string;
  runId?: number;
  checkpointId?: number;
  tag?: string;
  minRating?: number;
  favourite?: boolean;
  /** createdAt >= from (ms since the epoch). */
  from?: number;
  /** createdAt < to (ms since the epoch). */
  to?: number;
  /** true: the trash only; otherwise images in the trash are left out. */
  trashed?: boolean;
  /** true: only sequences (`params.sequence` set); false: only single images. */
  sequences?: boolean;
  limit?: number;
  cursor?: string;
}

type Row = Omit<Generation, 'params' | 'favourite' | 'tags'> & { params: string; favourite: 0 | 1 };

const COLUMNS = `g.id, g.path, g.prompt, g.negative, g.seed, g.run_id AS runId, g.checkpoint_id AS checkpointId,
  g.backend, g.params, g.rating, g.favourite, g.created_at AS createdAt, g.trashed_at AS trashedAt`;

// Newest first is id order: createdAt is clamped on insert so it never decreases as ids grow, which
// makes a date range an id range. Every search then walks one source in descending id and stops after
// a page, instead of collecting and sorting all matches. The source is the most specific index that
// yields ids in order: the full-text index, else the tag's rows, else generations itself.
const SOURCES = {
  text: { from: 'generations_fts f CROSS JOIN generations g ON g.id = f.rowid', key: 'f.rowid' },
  tag: { from: 'generation_tags gt CROSS JOIN generations g ON g.id = gt.generation_id', key: 'gt.generation_id' },
  all: { from: 'generations g', key: 'g.id' },
} as const;
type Source = keyof typeof SOURCES;

const TAG_ID = '(SELECT id FROM tags WHERE name = @tag)';
const firstIdFrom = (time: string) =>
  `coalesce((SELECT id FROM generations WHERE created_at >= ${time} ORDER BY created_at, id LIMIT 1), ${Number.MAX_SAFE_INTEGER})`;

// Each filter is a fixed SQL fragment with named parameters; `key` is the source's id column.
const FILTERS = {
  text: () => 'generations_fts MATCH @text',
  tag: (source: Source) =>
    source === 'tag'
      ? `gt.tag_id = ${TAG_ID}`
      : `EXISTS (SELECT 1 FROM generation_tags t WHERE t.generation_id = g.id AND t.tag_id = ${TAG_ID})`,
  runId: () => 'g.run_id = @runId',
  checkpointId: () => 'g.checkpoint_id = @checkpointId',
  minRating: () => 'g.rating >= @minRating',
  favourite: () => 'g.favourite = @favourite',
  from: (source: Source) => `${SOURCES[source].key} >= ${firstIdFrom('@from')}`,
  to: (source: Source) => `${SOURCES[source].key} < ${firstIdFrom('@to')}`,
  cursor: (source: Source) => `${SOURCES[source].key} < @cursor`,
  trashed: () => 'g.trashed_at IS NOT NULL',
  kept: () => 'g.trashed_at IS NULL',
  sequences: () => "json_type(g.params, '$.sequence') = 'object'",
  singles: () => "coalesce(json_type(g.params, '$.sequence'), '') <> 'object'",
} as const;
type Filter = keyof typeof FILTERS;

export class Generations {
  private readonly insert;
  private readonly byId;
  private readonly tagsOf;
  private readonly ensureTag;
  private readonly link;
  private readonly unlink;
  private readonly updateRating;
  private readonly updateFavourite;
  private readonly updateFps;
  private readonly deleteOne;
  private readonly tagCounts;
  private readonly addRow;
  private readonly toTrash;
  private readonly fromTrash;
  private readonly countTrash;
  private readonly trashedRows;
  private readonly searches = new Map<string, Statement<Record<string, unknown>, Row>>();

  constructor(
    private readonly db: Db,
    private readonly files: AppFiles,
  ) {
    type Insert = [string, string, string, number, number, number | null, string, string, number];
    this.insert = db.prepare<Insert, { id: number }>(
      `INSERT INTO generations (path, prompt, negative, seed, run_id, checkpoint_id, backend, params, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, max(?, coalesce((SELECT max(created_at) FROM generations), 0))) RETURNING id`,
    );
    this.byId = db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM generations g WHERE g.id = ?`);
    this.tagsOf = db.prepare<[string], { id: number; name: string }>(
      `SELECT gt.generation_id AS id, t.name FROM generation_tags gt JOIN tags t ON t.id = gt.tag_id
       WHERE gt.generation_id IN (SELECT value FROM json_each(?)) ORDER BY t.name`,
    );
    this.ensureTag = db.prepare<[string], { id: number }>(
      'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id',
    );
    this.link = db.prepare<[number, number]>('INSERT OR IGNORE INTO generation_tags VALUES (?, ?)');
    this.unlink = db.prepare<[number, string]>(
      'DELETE FROM generation_tags WHERE generation_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)',
    );
    this.updateRating = db.prepare<[number | null, number]>('UPDATE generations SET rating = ? WHERE id = ?');
    this.updateFavourite = db.prepare<[0 | 1, number]>('UPDATE generations SET favourite = ? WHERE id = ?');
    this.updateFps = db.prepare<[number, number]>(
      `UPDATE generations SET params = json_set(params, '$.sequence.fps', ?)
       WHERE id = ? AND json_type(params, '$.sequence') = 'object'`,
    );
    this.deleteOne = db.prepare<[number], { path: string }>('DELETE FROM generations WHERE id = ? RETURNING path');
    this.tagCounts = db.prepare<[], { name: string; count: number }>(
      `SELECT t.name, count(*) AS count FROM tags t JOIN generation_tags gt ON gt.tag_id = t.id
       GROUP BY t.id ORDER BY count DESC, t.name`,
    );
    this.toTrash = db.prepare<[number, string]>(
      'UPDATE generations SET trashed_at = ? WHERE trashed_at IS NULL AND id IN (SELECT value FROM json_each(?))',
    );
    this.fromTrash = db.prepare<[string]>(
      'UPDATE generations SET trashed_at = NULL WHERE trashed_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))',
    );
    this.countTrash = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM generations WHERE trashed_at IS NOT NULL');
    this.trashedRows = db.prepare<[], { id: number }>('SELECT id FROM generations WHERE trashed_at IS NOT NULL ORDER BY id');
    this.addRow = db.transaction((path: string, g: Omit<NewGeneration, 'image'>, createdAt: number) => {
      const { id } = this.insert.get(
        path,
        g.prompt.normalize('NFC'),
        (g.negative ?? '').normalize('NFC'),
        g.seed,
        g.runId,
        g.checkpointId ?? null,
        g.backend,
        JSON.stringify(g.params ?? {}),
        createdAt,
      )!;
      this.tagRows(id, g.tags ?? []);
      return id;
    });
  }

  /** Writes the image durably, then inserts its row (with tags) in one transaction. */
  async save(input: NewGeneration): Promise<Generation> {
    const createdAt = input.now ?? Date.now();
    const path = this.files.newImagePath(input.ext ?? 'png', createdAt);
    await this.files.writeDurable(path, input.image);
    let id: number;
    try {
      id = this.addRow(path, input, createdAt);
    } catch (err) {
      await this.files.remove([path], []);
      throw err;
    }
    return this.get(id)!;
  }

  /** Records an image already in the app data folder (an orphan a crash left) as a generation. */
  adopt(path: string, g: Omit<NewGeneration, 'image' | 'ext'>): Generation {
    if (!this.files.exists(path)) throw new Error(`Cannot record ${path}: the file is not there`);
    return this.get(this.addRow(path, g, g.now ?? Date.now()))!;
  }

  get(id: number): Generation | undefined {
    const row = this.byId.get(id);
    return row && this.withTags([row])[0];
  }

  /** Newest first, filtered, one page at a time. */
  search(query: GenerationQuery = {}): Page<Generation> {
    const limit = pageSize(query.limit);
    const params: Record<string, unknown> = { limit: limit + 1 };
    const used: Filter[] = [];
    const use = (filter: Filter, values: Record<string, unknown>) => {
      used.push(filter);
      Object.assign(params, values);
    };
    const text = query.text === undefined ? null : ftsQuery(query.text);
    if (text !== null) use('text', { text });
    if (query.runId !== undefined) use('runId', { runId: query.runId });
    if (query.checkpointId !== undefined) use('checkpointId', { checkpointId: query.checkpointId });
    if (query.tag !== undefined) use('tag', { tag: normalizeText(query.tag) });
    if (query.minRating !== undefined) use('minRating', { minRating: query.minRating });
    if (query.favourite !== undefined) use('favourite', { favourite: query.favourite ? 1 : 0 });
    if (query.from !== undefined) use('from', { from: query.from });
    if (query.to !== undefined) use('to', { to: query.to });
    if (query.cursor !== undefined) use('cursor', { cursor: decodeCursor(query.cursor, 1)[0] });
    use(query.trashed ? 'trashed' : 'kept', {});
    if (query.sequences !== undefined) use(query.sequences ? 'sequences' : 'singles', {});
    const source: Source = used.includes('text') ? 'text' : used.includes('tag') ? 'tag' : 'all';
    const rows = this.searchStatement(source, used).all(params);
    return toPage(this.withTags(rows), limit, (g) => [g.id]);
  }

  setRating(id: number, rating: number | null): void {
    if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      throw new UserError('A rating is a whole number from 1 to 5');
    }
    this.mustChange(this.updateRating.run(rating, id).changes, id);
  }

  setFavourite(id: number, favourite: boolean): void {
    this.mustChange(this.updateFavourite.run(favourite ? 1 : 0, id).changes, id);
  }

  /** The speed a sequence plays at, kept in its `params.sequence`. */
  setSequenceFps(id: number, fps: number): void {
    if (this.updateFps.run(fps, id).changes === 0) {
      throw new UserError(this.get(id) ? `Image ${id} is a single image, not a sequence of frames` : `There is no image ${id}`);
    }
  }

  addTags(id: number, tags: readonly string[]): void {
    this.db.transaction(() => this.tagRows(id, tags))();
  }

  removeTags(id: number, tags: readonly string[]): void {
    this.db.transaction(() => tags.forEach((t) => this.unlink.run(id, normalizeText(t))))();
  }

  /** Every tag in use, most used first. */
  tags(): { name: string; count: number }[] {
    return this.tagCounts.all();
  }

  /** Removes the row, then its file. */
  async delete(id: number): Promise<void> {
    const row = this.deleteOne.get(id);
    if (!row) throw new UserError(`There is no image ${id}`);
    await this.files.remove([row.path], []);
  }

  /** Puts images in the trash (those already there keep their time); returns how many moved. */
  trash(ids: readonly number[], now = Date.now()): number {
    return this.toTrash.run(now, JSON.stringify(ids)).changes;
  }

  /** Takes images out of the trash; returns how many came back. */
  restore(ids: readonly number[]): number {
    return this.fromTrash.run(JSON.stringify(ids)).changes;
  }

  trashCount(): number {
    return this.countTrash.get()!.n;
  }

  /** Every image in the trash, in id order. */
  trashedIds(): number[] {
    return this.trashedRows.all().map((r) => r.id);
  }

  /** Deletes every image in the trash, rows then files; returns how many. */
  async emptyTrash(): Promise<number> {
    const ids = this.trashedIds();
    for (const id of ids) await this.delete(id);
    return ids.length;
  }

  private tagRows(id: number, tags: readonly string[]): void {
    for (const name of new Set(tags.map(normalizeText))) {
      if (name !== '') this.link.run(id, this.ensureTag.get(name)!.id);
    }
  }

  private withTags(rows: Row[]): Generation[] {
    const tags = new Map<number, string[]>(rows.map((r) => [r.id, []]));
    if (rows.length > 0) {
      for (const t of this.tagsOf.all(JSON.stringify(rows.map((r) => r.id)))) tags.get(t.id)!.push(t.name);
    }
    return rows.map((r) => ({ ...r, params: JSON.parse(r.params), favourite: r.favourite === 1, tags: tags.get(r.id)! }));
  }

  // One prepared statement per combination of filters in use, prepared on first use.
  private searchStatement(source: Source, used: readonly Filter[]): Statement<Record<string, unknown>, Row> {
    const cacheKey = used.join(',');
    let statement = this.searches.get(cacheKey);
    if (!statement) {
      const { from, key } = SOURCES[source];
      const where = used.length > 0 ? `WHERE ${used.map((f) => FILTERS[f](source)).join(' AND ')}` : '';
      statement = this.db.prepare<Record<string, unknown>, Row>(
        `SELECT ${COLUMNS} FROM ${from} ${where} ORDER BY ${key} DESC LIMIT @limit`,
      );
      this.searches.set(cacheKey, statement);
    }
    return statement;
  }

  private mustChange(changes: number, id: number): void {
    if (changes === 0) throw new UserError(`There is no image ${id}`);
  }
}

// Prompt history: every (prompt, negative) pair ever used, one row per pair, with how often and when.
import type { Db } from './open';
import { ftsQuery } from './fts';
import { decodeCursor, pageSize, toPage, type Page } from './page';

export interface PromptUse {
  id: number;
  prompt: string;
  negative: string;
  /** The run it was last used with, if that run still exists. */
  runId: number | null;
  firstUsedAt: number;
  lastUsedAt: number;
  useCount: number;
}

export interface PromptQuery {
  text?: string;
  limit?: number;
  cursor?: string;
}

const COLUMNS = `id, prompt, negative, run_id AS runId, first_used_at AS firstUsedAt,
  last_used_at AS lastUsedAt, use_count AS useCount`;

export class Prompts {
  private readonly upsert;
  private readonly recent;
  private readonly matching;

  constructor(db: Db) {
    this.upsert = db.prepare<{ prompt: string; negative: string; runId: number | null; at: number }, PromptUse>(
      `INSERT INTO prompts (prompt, negative, run_id, first_used_at, last_used_at, use_count)
       VALUES (@prompt, @negative, @runId, @at, @at, 1)
       ON CONFLICT (prompt, negative) DO UPDATE SET use_count = use_count + 1,
         last_used_at = max(last_used_at, excluded.last_used_at), run_id = coalesce(excluded.run_id, run_id)
       RETURNING ${COLUMNS}`,
    );
    // Both page queries take the cursor as (at, id); the first page passes one above every real row.
    const page = 'AND (last_used_at, id) < (@at, @id) ORDER BY last_used_at DESC, id DESC LIMIT @limit';
    type Params = { at: number; id: number; limit: number };
    this.recent = db.prepare<Params, PromptUse>(`SELECT ${COLUMNS} FROM prompts WHERE 1 ${page}`);
    this.matching = db.prepare<Params & { match: string }, PromptUse>(
      `SELECT ${COLUMNS} FROM prompts WHERE id IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH @match) ${page}`,
    );
  }

  /** Counts one use; the same text with different Unicode spellings counts as one prompt. */
  record(input: { prompt: string; negative?: string; runId?: number; now?: number }): PromptUse {
    return this.upsert.get({
      prompt: input.prompt.normalize('NFC').trim(),
      negative: (input.negative ?? '').normalize('NFC').trim(),
      runId: input.runId ?? null,
      at: input.now ?? Date.now(),
    })!;
  }

  /** Most recently used first; `text` searches the prompts (not the negatives). */
  list(query: PromptQuery = {}): Page<PromptUse> {
    const limit = pageSize(query.limit);
    const [at, id] = query.cursor ? decodeCursor(query.cursor, 2) : [Number.MAX_SAFE_INTEGER, 0];
    const params = { at: at!, id: id!, limit: limit + 1 };
    const match = query.text === undefined ? null : ftsQuery(query.text);
    const rows = match === null ? this.recent.all(params) : this.matching.all({ ...params, match });
    return toPage(rows, limit, (r) => [r.lastUsedAt, r.id]);
  }
}

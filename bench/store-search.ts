// Benchmark (not a test): fills 100 000 generations into a temporary store and times filtered,
// paginated searches. Prints JSON; the target is a page in under 50 ms (median).
// Run: npx tsx bench/store-search.ts [rows]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../shared/rng';
import { Store, type GenerationQuery } from '../main/core/store';

const ROWS = Number(process.argv[2] ?? 100_000);
const REPEATS = 101;
const PAGE = 50;
const DAY = 86_400_000;
const WORDS = (
  'red blue green gold black white fox cat owl heron koi deer moon sun rain snow forest river mountain city ' +
  'portrait landscape ink watercolour pastel sketch sumi-e lantern garden night dawn dusk mist storm sea ' +
  'castle bridge tower flower lotus maple pine bamboo crane dragon tiger rabbit boat temple market street'
).split(' ');
const TAGS = ['keep', 'print', 'sketch', 'series-a', 'series-b', 'reject', 'wip', 'portfolio'];

const home = process.env.BENCH_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'homegrown-bench-'));
const store = Store.open({ home });
try {
  const rng = new Rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;

  const runs = Array.from({ length: 5 }, () => store.runs.create({ model: 'gan', config: {} }));
  const checkpoints = runs.flatMap((run) =>
    [1000, 2000, 3000, 4000].map((step) => {
      const rel = `runs/${run.id}/checkpoints/${step}`;
      fs.mkdirSync(store.files.resolve(rel), { recursive: true });
      return store.runs.addCheckpoint({ runId: run.id, step, path: rel, manifestHash: 'h', metrics: {} });
    }),
  );

  // Rows only: the search does not read image files, and writing 100 000 of them would time the disk.
  const insert = store.db.prepare(
    `INSERT INTO generations (path, prompt, negative, seed, run_id, checkpoint_id, backend, params, rating, favourite, created_at)
     VALUES (?, ?, 'blurry', ?, ?, ?, 'cpu', '{}', ?, ?, ?)`,
  );
  const tag = store.db.prepare('INSERT INTO generation_tags VALUES (?, (SELECT id FROM tags WHERE name = ?))');
  const start = Date.UTC(2026, 0, 1);
  const fillStarted = performance.now();
  store.db.transaction(() => {
    for (const name of TAGS) store.db.prepare('INSERT INTO tags (name) VALUES (?)').run(name);
    for (let i = 0; i < ROWS; i++) {
      const checkpoint = pick(checkpoints);
      const prompt = Array.from({ length: 6 + rng.int(7) }, () => pick(WORDS)).join(' ');
      const rating = rng.float() < 0.3 ? 1 + rng.int(5) : null;
      const createdAt = start + Math.floor((i / ROWS) * 365 * DAY);
      const { lastInsertRowid } = insert.run(
        `images/x/${i}.png`,
        prompt,
        i,
        checkpoint.runId,
        checkpoint.id,
        rating,
        rng.float() < 0.05 ? 1 : 0,
        createdAt,
      );
      if (rng.float() < 0.2) tag.run(lastInsertRowid, pick(TAGS));
    }
  })();
  const fillMs = performance.now() - fillStarted;

  const deepCursor = (query: GenerationQuery, pages: number): string => {
    let cursor: string | undefined;
    for (let p = 0; p < pages; p++) cursor = store.generations.search({ ...query, limit: PAGE, cursor }).next!;
    return cursor!;
  };
  const queries: Record<string, GenerationQuery> = {
    'newest, no filter': {},
    'run + text': { runId: runs[2]!.id, text: 'fox' },
    'run + two words + min rating': { runId: runs[1]!.id, text: 'red moon', minRating: 3 },
    'tag + favourite': { tag: 'keep', favourite: true },
    'checkpoint + date range': { checkpointId: checkpoints[5]!.id, from: start + 100 * DAY, to: start + 200 * DAY },
    'text + tag + date range': { text: 'crane', tag: 'print', from: start + 30 * DAY },
    'date range months ago': { from: start + 10 * DAY, to: start + 190 * DAY },
    'favourite + min rating': { favourite: true, minRating: 4 },
    'run, page 40 via cursor': { runId: runs[0]!.id, cursor: deepCursor({ runId: runs[0]!.id }, 40) },
    'text, page 20 via cursor': { text: 'lotus', cursor: deepCursor({ text: 'lotus' }, 20) },
  };

  const results = Object.entries(queries).map(([name, query]) => {
    const times: number[] = [];
    let items = 0;
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      items = store.generations.search({ ...query, limit: PAGE }).items.length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const ms = (x: number) => Math.round(x * 100) / 100;
    return { name, items, medianMs: ms(times[REPEATS >> 1]!), p95Ms: ms(times[Math.floor(REPEATS * 0.95)]!) };
  });

  console.log(
    JSON.stringify(
      {
        rows: ROWS,
        pageSize: PAGE,
        repeats: REPEATS,
        fillMs: Math.round(fillMs),
        worstMedianMs: Math.max(...results.map((r) => r.medianMs)),
        targetMs: 50,
        results,
      },
      null,
      2,
    ),
  );
} finally {
  store.close();
  if (!process.env.BENCH_HOME) fs.rmSync(home, { recursive: true, force: true });
}

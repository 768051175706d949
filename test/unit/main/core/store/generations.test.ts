import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Generation, GenerationQuery, Store } from '#core/store/index';
import { UserError } from '#core/errors';
import { tempStore } from './temp-home';

const WORDS = ['red fox', 'blue bird', 'red bird', 'green frog'];

// 40 generations over two runs and two checkpoints, three at a time sharing a timestamp.
async function gallery(store: Store): Promise<Generation[]> {
  const runs = [store.runs.create({ model: 'gan', config: {} }), store.runs.create({ model: 'vae', config: {} })];
  const checkpoints = runs.map((run) => {
    fs.mkdirSync(store.files.resolve(`runs/${run.id}/checkpoints/1`), { recursive: true });
    return store.runs.addCheckpoint({ runId: run.id, step: 1, path: `runs/${run.id}/checkpoints/1`, manifestHash: 'h', metrics: {} });
  });
  const saved: Generation[] = [];
  for (let i = 0; i < 40; i++) {
    const g = await store.generations.save({
      image: new Uint8Array([i]),
      prompt: `${WORDS[i % 4]} number${i}`,
      negative: 'blurry',
      seed: i,
      runId: runs[i % 2]!.id,
      checkpointId: i % 3 === 0 ? null : checkpoints[i % 2]!.id,
      backend: 'cpu',
      params: { steps: i },
      tags: i % 5 === 0 ? ['Sketch', 'keep'] : [],
      now: 1000 + Math.floor(i / 3) * 10,
    });
    if (i % 4 === 0) store.generations.setRating(g.id, 1 + (i % 5));
    if (i % 7 === 0) store.generations.setFavourite(g.id, true);
    saved.push(store.generations.get(g.id)!);
  }
  return saved;
}

function allPages(store: Store, query: GenerationQuery): Generation[] {
  const out: Generation[] = [];
  let cursor = query.cursor;
  do {
    const page = store.generations.search({ ...query, cursor });
    expect(page.items.length).toBeLessThanOrEqual(query.limit ?? 50);
    out.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return out;
}

const newestFirst = (a: Generation, b: Generation) => b.id - a.id;

describe('generations', () => {
  it('saves the file first, then the row with tags, parameters and checkpoint', async () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'gan', config: {} });
    const g = await store.generations.save({
      image: new Uint8Array([9, 9]),
      prompt: 'a fox',
      seed: 42,
      runId: run.id,
      backend: 'wasm',
      params: { cfg: 2 },
      tags: ['  Best ', 'best', ''],
    });
    expect(g).toMatchObject({
      prompt: 'a fox',
      negative: '',
      seed: 42,
      params: { cfg: 2 },
      tags: ['best'],
      rating: null,
      favourite: false,
    });
    expect([...fs.readFileSync(store.files.resolve(g.path))]).toEqual([9, 9]);
  });

  it('a row that cannot be inserted leaves no file behind', async () => {
    const store = tempStore();
    await expect(store.generations.save({ image: new Uint8Array([1]), prompt: 'x', seed: 1, runId: 404, backend: 'cpu' })).rejects.toThrow(
      /FOREIGN KEY/,
    );
    expect(fs.readdirSync(store.files.resolve('images'), { recursive: true }).filter((f) => String(f).endsWith('.png'))).toEqual([]);
  });

  it('filters by run, checkpoint, tag, rating, favourite, date and text, and combinations', async () => {
    const store = tempStore();
    const all = await gallery(store);
    const [run1, run2] = [all[0]!.runId, all[1]!.runId];
    const cases: [GenerationQuery, (g: Generation) => boolean][] = [
      [{}, () => true],
      [{ runId: run2 }, (g) => g.runId === run2],
      [{ checkpointId: all[1]!.checkpointId! }, (g) => g.checkpointId === all[1]!.checkpointId],
      [{ tag: ' SKETCH ' }, (g) => g.tags.includes('sketch')],
      [{ minRating: 3 }, (g) => (g.rating ?? 0) >= 3],
      [{ favourite: true }, (g) => g.favourite],
      [{ favourite: false }, (g) => !g.favourite],
      [{ from: 1030, to: 1070 }, (g) => g.createdAt >= 1030 && g.createdAt < 1070],
      [{ text: 'red' }, (g) => g.prompt.startsWith('red')],
      [{ text: 'BIRD red' }, (g) => g.prompt.startsWith('red bird')],
      [{ text: 'numb' }, () => true],
      [{ text: 'number1' }, (g) => /number1\d?$/.test(g.prompt)],
      [{ text: 'blurry' }, () => false], // negatives are not searched
      [{ text: '" * : -' }, () => true], // nothing searchable: no text filter
      [{ text: 'fox AND NOT' }, () => false], // operators are plain words, not syntax
      [{ runId: run1, text: 'red', minRating: 1 }, (g) => g.runId === run1 && g.prompt.startsWith('red') && g.rating !== null],
      [{ tag: 'keep', from: 1050, favourite: true }, (g) => g.tags.includes('keep') && g.createdAt >= 1050 && g.favourite],
    ];
    for (const [query, keep] of cases) {
      const expected = all
        .filter(keep)
        .sort(newestFirst)
        .map((g) => g.id);
      expect(
        allPages(store, { ...query, limit: 7 }).map((g) => g.id),
        JSON.stringify(query),
      ).toEqual(expected);
    }
  });

  it('keyset pages neither repeat nor skip rows when new ones arrive between pages', async () => {
    const store = tempStore();
    const all = await gallery(store);
    const first = store.generations.search({ limit: 10 });
    await store.generations.save({ image: new Uint8Array([1]), prompt: 'late', seed: 0, runId: all[0]!.runId, backend: 'cpu', now: 5000 });
    const rest = allPages(store, { limit: 10, cursor: first.next! });
    expect([...first.items, ...rest].map((g) => g.id)).toEqual([...all].sort(newestFirst).map((g) => g.id));
    expect(() => store.generations.search({ cursor: 'not-a-cursor' })).toThrow(UserError);
  });

  it('createdAt never goes back in time, so newest first is id order and date ranges stay exact', async () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'gan', config: {} });
    const save = (now: number) =>
      store.generations.save({ image: new Uint8Array([1]), prompt: 'p', seed: 0, runId: run.id, backend: 'cpu', now });
    const a = await save(2000);
    const b = await save(1000); // the clock went back
    const c = await save(3000);
    expect([a.createdAt, b.createdAt, c.createdAt]).toEqual([2000, 2000, 3000]);
    expect(store.generations.search({ from: 2000, to: 3000 }).items.map((g) => g.id)).toEqual([b.id, a.id]);
    expect(store.generations.search({ from: 3001 }).items).toEqual([]);
    expect(store.generations.search({ to: 2000 }).items).toEqual([]);
  });

  it('rates, favourites, tags, untags and deletes', async () => {
    const store = tempStore();
    const [g] = await gallery(store);
    store.generations.setRating(g!.id, 5);
    store.generations.setFavourite(g!.id, false);
    store.generations.addTags(g!.id, ['Keep', 'print']);
    store.generations.removeTags(g!.id, ['SKETCH']);
    expect(store.generations.get(g!.id)).toMatchObject({ rating: 5, favourite: false, tags: ['keep', 'print'] });
    expect(() => store.generations.setRating(g!.id, 6)).toThrow(UserError);
    expect(store.generations.tags()).toContainEqual({ name: 'keep', count: 8 });
    await store.generations.delete(g!.id);
    expect(store.generations.get(g!.id)).toBeUndefined();
    expect(fs.existsSync(store.files.resolve(g!.path))).toBe(false);
    expect(store.generations.search({ text: 'number0' }).items).toEqual([]);
    expect(store.check()).toMatchObject({ ok: true, referencedFiles: 41 });
  });
});

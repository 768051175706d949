import { describe, expect, it } from 'vitest';
import { UserError } from '#core/errors';
import { tempStore } from './temp-home';

describe('prompts', () => {
  it('upserts one row per prompt and negative, counting uses and keeping first and last time', () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'gan', config: {} });
    store.prompts.record({ prompt: 'a cafe\u0301', negative: 'blurry', now: 10 });
    const again = store.prompts.record({ prompt: ' a caf\u00e9 ', negative: 'blurry', runId: run.id, now: 20 });
    expect(again).toMatchObject({ prompt: 'a café', useCount: 2, firstUsedAt: 10, lastUsedAt: 20, runId: run.id });
    store.prompts.record({ prompt: 'a café', negative: '', now: 30 });
    expect(store.prompts.list().items.map((p) => [p.negative, p.useCount])).toEqual([
      ['', 1],
      ['blurry', 2],
    ]);
  });

  it('searches prompts and pages through them newest first', () => {
    const store = tempStore();
    for (let i = 0; i < 7; i++) store.prompts.record({ prompt: `${i % 2 ? 'red' : 'blue'} fox ${i}`, now: 100 + i });
    expect(store.prompts.list({ text: 'red' }).items.map((p) => p.prompt)).toEqual(['red fox 5', 'red fox 3', 'red fox 1']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.prompts.list({ limit: 3, cursor });
      seen.push(...page.items.map((p) => p.prompt));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `${i % 2 ? 'red' : 'blue'} fox ${i}`));
  });
});

describe('presets', () => {
  it('creates, finds, saves and removes presets with unique names', () => {
    const store = tempStore();
    const ink = store.presets.create({ name: 'Ink', positive: '{subject}, ink wash', negative: 'colour' }, 1);
    store.presets.create({ name: 'Pastel', positive: '{subject}, pastel', negative: '' }, 1);
    expect(() => store.presets.create({ name: 'Ink', positive: 'x', negative: '' })).toThrow(UserError);
    expect(() => store.presets.save(ink.id, { name: 'Pastel', positive: 'x', negative: '' })).toThrow(/already exists/);
    const saved = store.presets.save(ink.id, { name: 'Ink 2', positive: '{subject}, sumi-e', negative: 'colour' }, 2);
    expect(saved).toMatchObject({ name: 'Ink 2', positive: '{subject}, sumi-e', createdAt: 1, updatedAt: 2 });
    expect(store.presets.find(' Ink 2 ')?.id).toBe(ink.id);
    store.presets.remove(ink.id);
    expect(store.presets.list().map((p) => p.name)).toEqual(['Pastel']);
    expect(() => store.presets.save(ink.id, { name: 'Gone', positive: '', negative: '' })).toThrow(UserError);
  });
});

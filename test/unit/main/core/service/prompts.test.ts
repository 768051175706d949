import { describe, expect, it } from 'vitest';
import { PromptService } from '#core/service/prompts';
import { API } from '#shared/api/index';
import { MAX_TEMPLATE_LENGTH, MAX_VARIANT_DEPTH } from '#shared/prompt/wildcards';
import type { Vocabulary } from '#shared/vocabulary';
import { tempStore } from '../store/temp-home';

const vocab: Vocabulary = {
  tokens: ['<unk>', 'dwarves', 'elf', 'axe', 'blurry'],
  counts: [0, 4, 3, 2, 1],
  captions: [['dwarves', 'axe'], ['elf'], ['dwarves'], ['blurry', 'elf']],
};

describe('PromptService.check', () => {
  it('lists unknown words under the prompt they belong to, plural forms first', () => {
    const prompts = new PromptService(tempStore(), () => vocab);
    const check = prompts.check({ prompt: 'dwarf, (elves:1.2), axe', negative: 'blury, dark', runId: 1 });
    expect(check.known).toEqual(['axe']);
    expect(check.unknown.map((u) => [u.word, u.suggestions[0]?.token])).toEqual([
      ['dwarf', 'dwarves'],
      ['elves', 'elf'],
    ]);
    expect(check.negativeUnknown.map((u) => [u.word, u.suggestions.map((s) => s.token)])).toEqual([
      ['blury', ['blurry']],
      ['dark', []],
    ]);
    expect(prompts.check({ prompt: 'dwarf', negative: '' })).toMatchObject({ unknown: [], negativeUnknown: [] });
  });

  // Issue 16, item 8: a prompt of 20 000 nested wildcards held the server's thread for seconds.
  it('refuses prompts longer than generation accepts before anything parses them', () => {
    const input = API['prompts.check'].input;
    expect(input.safeParse({ prompt: 'a'.repeat(MAX_TEMPLATE_LENGTH) }).success).toBe(true);
    expect(input.safeParse({ prompt: 'a'.repeat(MAX_TEMPLATE_LENGTH + 1) }).success).toBe(false);
    expect(input.safeParse({ prompt: 'a', negative: 'a'.repeat(MAX_TEMPLATE_LENGTH + 1) }).success).toBe(false);
  });

  it('reports the wildcard limits that generation would enforce, under the prompt they belong to', () => {
    const prompts = new PromptService(tempStore(), () => vocab);
    const deep = `${'{a|'.repeat(MAX_VARIANT_DEPTH + 1)}b${'}'.repeat(MAX_VARIANT_DEPTH + 1)}`;
    expect(prompts.check({ prompt: 'a {red|blue} b', negative: deep }).errors).toEqual([
      `negative prompt: Wildcards are nested more than ${MAX_VARIANT_DEPTH} levels deep.`,
    ]);
    expect(prompts.check({ prompt: 'a {red|blue} b', negative: '' }).errors).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { PromptService } from '#core/service/prompts';
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
});

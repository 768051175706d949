import { describe, expect, it } from 'vitest';
import { autocomplete, diagnosePrompt, editDistance, stemOf, suggestPrompts, suggestTags } from '#shared/prompt/diagnostics';
import type { Vocabulary } from '#shared/vocabulary';

// Nine training captions of cats and dogs; row 0 is the reserved unknown token.
const vocab: Vocabulary = {
  tokens: ['<unk>', 'cat', 'dog', 'red', 'blue', 'small', 'car', 'tree', '猫'],
  counts: [0, 5, 4, 3, 2, 2, 1, 1, 1],
  captions: [
    ['cat', 'red'],
    ['cat', 'red', 'small'],
    ['cat', 'small'],
    ['cat', 'blue', '猫'],
    ['cat', 'red'],
    ['dog', 'blue'],
    ['dog', 'car'],
    ['dog', 'tree'],
    ['dog'],
  ],
};

describe('editDistance', () => {
  it('counts a transposition as one edit and works on code points', () => {
    expect(editDistance('cta', 'cat')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('🐱a', '🐱b')).toBe(1);
    expect(editDistance('abc', 'abcdef', 2)).toBe(Infinity);
  });
});

describe('diagnosePrompt', () => {
  it('lists known and unknown words, unknown ones with their nearest known words', () => {
    const d = diagnosePrompt('a (red:1.2) cta, dgo, xyzzy', vocab);
    expect(d.known).toEqual(['red']);
    expect(d.unknown.map((u) => [u.word, u.suggestions.map((s) => s.token)])).toEqual([
      ['a', []],
      ['cta', ['cat']],
      ['dgo', ['dog']],
      ['xyzzy', []],
    ]);
  });

  it('breaks spelling ties by co-occurrence with the known words, then frequency', () => {
    // "cab" is one edit from both "cat" and "car"; "car" is rarer but appears with "dog".
    expect(diagnosePrompt('dog cab', vocab).unknown[0]!.suggestions.map((s) => [s.token, s.cooccurrence])).toEqual([
      ['car', 1],
      ['cat', 0],
    ]);
    expect(diagnosePrompt('red cab', vocab).unknown[0]!.suggestions.map((s) => s.token)).toEqual(['cat', 'car']);
  });

  it('never reports the reserved row 0 and handles empty prompts', () => {
    expect(diagnosePrompt('<unk> unk', vocab).known).toEqual([]);
    expect(diagnosePrompt('', vocab)).toEqual({ known: [], unknown: [] });
  });

  it('finds the plural or singular the model knows, before spelling neighbours', () => {
    const fantasy: Vocabulary = {
      tokens: ['<unk>', 'dwarves', 'elf', 'knives', 'cities', 'running', 'boxes', 'dwarf2'],
      counts: [0, 3, 2, 1, 1, 1, 1, 1],
      captions: [['dwarves'], ['elf'], ['knives'], ['cities'], ['running'], ['boxes'], ['dwarf2']],
    };
    const first = (prompt: string) => diagnosePrompt(prompt, fantasy).unknown.map((u) => u.suggestions[0]?.token ?? null);
    expect(first('dwarf, elves, knife, city, run, box')).toEqual(['dwarves', 'elf', 'knives', 'cities', 'running', 'boxes']);
    expect(diagnosePrompt('dwarf', fantasy).unknown[0]!.suggestions.map((s) => [s.token, s.sameStem])).toEqual([
      ['dwarves', true],
      ['dwarf2', false],
    ]);
    expect(first('tree')).toEqual([null]);
  });

  it('stems plurals and verb endings to one form', () => {
    expect(
      ['dwarves', 'dwarf', 'elves', 'knives', 'knife', 'cities', 'boxes', 'glasses', 'cats', 'running', 'jumped', 'red'].map(stemOf),
    ).toEqual(['dwarf', 'dwarf', 'elf', 'knif', 'knif', 'city', 'box', 'glass', 'cat', 'run', 'jump', 'red']);
  });

  it('knows CJK words', () => {
    expect(diagnosePrompt('(猫:1.5)', vocab).known).toEqual(['猫']);
  });
});

describe('autocomplete', () => {
  it('completes a prefix, most frequent first', () => {
    expect(autocomplete('Ca', vocab).map((t) => t.token)).toEqual(['cat', 'car']);
    expect(autocomplete('', vocab, 3).map((t) => t.token)).toEqual(['cat', 'dog', 'red']);
    expect(autocomplete('zz', vocab)).toEqual([]);
  });
});

describe('suggestions from co-occurrence', () => {
  it('suggests words seen with the prompt words', () => {
    expect(suggestTags('a cat', vocab).map((t) => [t.token, t.cooccurrence])).toEqual([
      ['red', 3],
      ['small', 2],
      ['blue', 1],
      ['猫', 1],
    ]);
    expect(suggestTags('', vocab, 2).map((t) => t.token)).toEqual(['cat', 'dog']);
  });

  it('builds prompts that look like training captions', () => {
    // "cat, small" grows into the same words as "cat, red, small", so it is not repeated.
    expect(suggestPrompts('cat', vocab, 3)).toEqual(['cat, red, small', 'cat, blue, 猫']);
    expect(suggestPrompts('dog', vocab)).toEqual(['dog, blue', 'dog, car', 'dog, tree']);
  });
});

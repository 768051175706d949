import { describe, expect, it } from 'vitest';
import { renderName, uniqueNames } from '#core/export/file-names';

describe('export file names', () => {
  it('are legal on every OS whatever the prompt holds', () => {
    const hostile = ['a/b\\c:d*e?f"g<h>i|j', 'CON', 'nul.txt', '..', ' .hidden. ', 'tab\there\u0000', 'é'.normalize('NFD')];
    for (const prompt of hostile) {
      const name = renderName('{prompt}_{seed}', { prompt, seed: 7, index: 1 });
      expect(name).not.toMatch(/[/\\:*?"<>|\u0000-\u001f]/u);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/iu);
      expect(name).not.toMatch(/^[.\s]|[.\s]$/u);
    }
    expect(renderName('{prompt}', { prompt: 'é'.normalize('NFD'), index: 1 })).toBe('é'.normalize('NFC'));
  });

  it('shortens long prompts and joins words with dashes', () => {
    const name = renderName('{run}_{seed}_{prompt}', { run: 'r', seed: 1, prompt: 'red, round '.repeat(40), index: 1 });
    expect(name.startsWith('r_1_red-round-red-round')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(66);
  });

  it('skip the manifest names and number clashes deterministically', () => {
    const items = [
      { source: 'manifest', index: 1 },
      { source: 'A', index: 2 },
      { source: 'a', index: 3 },
    ];
    expect(uniqueNames('{source}', items, 'json', ['manifest.json'])).toEqual(['manifest-2.json', 'A.json', 'a-2.json']);
  });

  it('refuse unknown fields and unbalanced braces', () => {
    expect(() => uniqueNames('{seed}_{sed}', [{ index: 1 }], 'png')).toThrow('Unknown template field {sed}');
    expect(() => uniqueNames('{seed', [{ index: 1 }], 'png')).toThrow(/Unbalanced braces/);
  });
});

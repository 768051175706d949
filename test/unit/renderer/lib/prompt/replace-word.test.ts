import { describe, expect, it } from 'vitest';
import { replaceWord } from '../../../../../renderer/lib/prompt/replace-word';

describe('replaceWord', () => {
  it('replaces whole words only, keeping weights and brackets', () => {
    expect(replaceWord('dwarf, (Dwarf:1.2), dwarfish', 'dwarf', 'dwarves')).toBe('dwarves, (dwarves:1.2), dwarfish');
    expect(replaceWord('élf elf', 'elf', 'elves')).toBe('élf elves');
    expect(replaceWord('a $1 (b)', '$1', 'x')).toBe('a x (b)');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PromptError } from '#shared/prompt/errors';
import { expandPrompt } from '#shared/prompt/expand';
import {
  countExpansions,
  expandCombinatorial,
  expandRandom,
  MAX_TEMPLATE_LENGTH,
  MAX_VARIANTS,
  pickWildcards,
  splitOutsideVariants,
} from '#shared/prompt/wildcards';

describe('seeded wildcards', () => {
  it('picks one option per image, the same one for the same seed', () => {
    const picks = Array.from({ length: 50 }, (_, seed) => pickWildcards('a {red|green|blue} cat', seed));
    expect(new Set(picks)).toEqual(new Set(['a red cat', 'a green cat', 'a blue cat']));
    expect(Array.from({ length: 50 }, (_, seed) => pickWildcards('a {red|green|blue} cat', seed))).toEqual(picks);
  });

  it('gives image i of a batch the pick of seed + i', () => {
    const batch = expandRandom('{a|b|c|d} {e|f|g}', 7, 5);
    expect(batch).toEqual([7, 8, 9, 10, 11].map((s) => pickWildcards('{a|b|c|d} {e|f|g}', s)));
  });

  it('picks distinct options for {2$$…} and joins them with ", " or a custom separator', () => {
    for (let seed = 0; seed < 30; seed++) {
      const two = pickWildcards('{2$$red|green|blue}', seed).split(', ');
      expect(two).toHaveLength(2);
      expect(new Set(two).size).toBe(2);
      expect(pickWildcards('{2$$ and $$x|y}', seed)).toMatch(/^(x and y|y and x)$/u);
      const some = pickWildcards('{1-3$$a|b|c}', seed).split(', ');
      expect(some.length).toBeGreaterThanOrEqual(1);
      expect(some.length).toBeLessThanOrEqual(3);
    }
  });

  it('leaves text without wildcards, escapes and unmatched braces as they are', () => {
    expect(pickWildcards('a (red:1.2) cat', 1)).toBe('a (red:1.2) cat');
    expect(pickWildcards('\\{a|b\\} {x', 1)).toBe('\\{a|b\\} {x');
    expect(pickWildcards('}{', 1)).toBe('}{');
  });
});

describe('combinatorial expansion', () => {
  it('lists every combination, first variant slowest', () => {
    expect(expandCombinatorial('a {red|blue} {cat|dog}')).toEqual(['a red cat', 'a red dog', 'a blue cat', 'a blue dog']);
  });

  it('lists k-subsets for {k$$…} and every size for ranges, nested variants included', () => {
    expect(expandCombinatorial('{2$$a|b|c}')).toEqual(['a, b', 'a, c', 'b, c']);
    expect(expandCombinatorial('{1-2$$ and $$a|{b|c}}')).toEqual(['a', 'b', 'c', 'a and b', 'a and c']);
    expect(expandCombinatorial('{5$$a|b}')).toEqual(['a, b']); // more than there are: all of them
    expect(expandCombinatorial('x{0$$a|b}y{}')).toEqual(['xy']);
  });

  it('counts without expanding, even astronomically many', () => {
    expect(countExpansions('{a|b|c} {2$$a|b|c|d}')).toBe(18);
    expect(countExpansions('{a|b|c|d|e|f|g|h|i|j}'.repeat(400))).toBe(Infinity);
  });

  it('stops at the limit (default 1000) with a clear message', () => {
    expect(expandCombinatorial('{a|b}'.repeat(9))).toHaveLength(512);
    expect(() => expandCombinatorial('{a|b}'.repeat(10))).toThrow(/1,024 prompts, more than the limit of 1000/u);
    expect(() => expandCombinatorial('{a|b}'.repeat(4), 10)).toThrow(PromptError);
    expect(() => expandCombinatorial('{a|b|c|d|e|f|g|h|i|j}'.repeat(400))).toThrow(/astronomically many/u);
    expect(() => expandRandom('{a|b}', 0, 1001)).toThrow(PromptError);
  });

  it('refuses an over-long template or too many variants before parsing, so one request cannot hold a server', () => {
    // 800 KB of nested braces took 27 s to refuse, every other request waiting meanwhile.
    const huge = '{'.repeat(400_000) + '}'.repeat(400_000);
    for (const expand of [() => pickWildcards(huge, 1), () => expandCombinatorial(huge), () => expandRandom(huge, 0, 256)]) {
      expect(expand).toThrow('This prompt is 800,000 characters long, more than the limit of 20,000.');
    }
    expect(() => pickWildcards('{a|b}'.repeat(MAX_VARIANTS + 1), 0)).toThrow(
      'This prompt has 1,001 {…} variants, more than the limit of 1,000.',
    );
    expect(pickWildcards('{a|b}'.repeat(MAX_VARIANTS), 0)).toMatch(/^[ab]{1000}$/u);
    // Deep nesting at the limit, many times over: parsed once per variant, not once per level.
    const deep = ('{'.repeat(99) + 'a|b' + '}'.repeat(99)).repeat(10);
    expect(deep.length).toBeLessThanOrEqual(MAX_TEMPLATE_LENGTH);
    expect(countExpansions(deep)).toBe(1024);
    expect(pickWildcards(deep, 3)).toMatch(/^[ab]{10}$/u);
  });

  it('refuses absurd nesting with a clear error instead of overflowing the stack', () => {
    expect(() => expandCombinatorial('{'.repeat(200) + 'a' + '}'.repeat(200))).toThrow(/nested more than 100/u);
    expect(expandCombinatorial('{'.repeat(50) + 'a|b' + '}'.repeat(50))).toEqual(['a', 'b']);
  });
});

describe('splitOutsideVariants', () => {
  it('ignores separators inside braces or escaped', () => {
    expect(splitOutsideVariants('a | {b|c} | d\\|e', '|')).toEqual(['a ', ' {b|c} ', ' d\\|e']);
  });
});

describe('expandPrompt (the CLI/Generate pipeline)', () => {
  it('expands a matrix, then wildcards in each cell', () => {
    expect(expandPrompt('{red|blue} cat | small', { matrix: true, combinatorial: true })).toEqual([
      'red cat ',
      'blue cat ',
      'red cat , small',
      'blue cat , small',
    ]);
    expect(expandPrompt('{red|blue} cat', { seed: 3, count: 2 })).toEqual(expandRandom('{red|blue} cat', 3, 2));
  });

  it('applies the limit to the total', () => {
    expect(() => expandPrompt('{a|b} | c | d', { matrix: true, combinatorial: true, limit: 7 })).toThrow(/8 prompts/u);
    expect(() => expandPrompt('a | b | c', { matrix: true, count: 300 })).toThrow(/1,200 prompts/u);
  });
});

describe('fuzz: expansion only ever fails with a PromptError', () => {
  it('within 2 seconds of random templates', () => {
    const template = fc
      .array(fc.constantFrom('{', '}', '|', '$$', '2', '1-3', 'a', ' ', '\\', ','), { maxLength: 60 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(template, fc.nat(), (t, seed) => {
        for (const run of [() => expandCombinatorial(t, 200), () => pickWildcards(t, seed)]) {
          try {
            run();
          } catch (e) {
            expect(e).toBeInstanceOf(PromptError);
          }
        }
      }),
      { interruptAfterTimeLimit: 2000, numRuns: 100_000 },
    );
  });
});

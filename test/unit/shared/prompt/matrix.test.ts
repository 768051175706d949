import { describe, expect, it } from 'vitest';
import { expandMatrix } from '#shared/prompt/matrix';

describe('expandMatrix (A1111 Prompt Matrix)', () => {
  it('lists 2^n prompts, part k on when bit k of the index is set, joined as A1111 joins them', () => {
    expect(expandMatrix('a busy city street in a modern city|illustration|cinematic lighting')).toEqual([
      { prompt: 'a busy city street in a modern city', enabled: [] },
      { prompt: 'a busy city street in a modern city, illustration', enabled: ['illustration'] },
      { prompt: 'a busy city street in a modern city, cinematic lighting', enabled: ['cinematic lighting'] },
      {
        prompt: 'a busy city street in a modern city, illustration, cinematic lighting',
        enabled: ['illustration', 'cinematic lighting'],
      },
    ]);
  });

  it('strips spaces then commas from optional parts only (Python strip().strip(","))', () => {
    expect(expandMatrix('a, b | ,c, | d').map((c) => c.prompt)).toEqual(['a, b ', 'a, b , c', 'a, b , d', 'a, b , c, d']);
  });

  it('supports "Set at prompt start" and the space delimiter', () => {
    expect(expandMatrix('cat|red', { putAtStart: true, delimiter: ' ' }).map((c) => c.prompt)).toEqual(['cat', 'red cat']);
  });

  it('is a single prompt without |, and keeps | inside wildcards or escaped', () => {
    expect(expandMatrix('plain')).toEqual([{ prompt: 'plain', enabled: [] }]);
    expect(expandMatrix('{a|b} \\| c|d')).toHaveLength(2);
  });

  it('stops beyond the limit with a clear message', () => {
    expect(expandMatrix('x' + '|p'.repeat(9))).toHaveLength(512);
    expect(() => expandMatrix('x' + '|p'.repeat(10))).toThrow(
      /10 optional parts would produce 1,024 prompts, more than the limit of 1000/u,
    );
    expect(() => expandMatrix('x' + '|p'.repeat(2000))).toThrow(/astronomically many/u);
    expect(() => expandMatrix('a|b|c', { limit: 3 })).toThrow(/limit of 3/u);
  });
});

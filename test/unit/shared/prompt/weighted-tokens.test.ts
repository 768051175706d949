import { describe, expect, it } from 'vitest';
import { MAX_ABS_WEIGHT, promptToWeightedTokens } from '#shared/prompt/weighted-tokens';

describe('promptToWeightedTokens', () => {
  it('gives every word its effective weight, in order, with repeats', () => {
    expect(promptToWeightedTokens('a (((house:1.3)) [on] a (hill:0.5), red, red')).toEqual([
      { token: 'a', weight: 1 },
      { token: 'house', weight: 1.5730000000000004 },
      { token: 'on', weight: 1 },
      { token: 'a', weight: 1.1 },
      { token: 'hill', weight: 0.55 },
      { token: 'red', weight: 1.1 },
      { token: 'red', weight: 1.1 },
    ]);
  });

  it('multiplies by the AND sub-prompt weight and ignores BREAK', () => {
    expect(promptToWeightedTokens('cat BREAK (dog:2) AND tree:0.5')).toEqual([
      { token: 'cat', weight: 1 },
      { token: 'dog', weight: 2 },
      { token: 'tree', weight: 0.5 },
    ]);
  });

  it('serves negative prompts the same way, weight 0 and negative weights included', () => {
    expect(promptToWeightedTokens('blurry, (ugly:0), (noise:-1)')).toEqual([
      { token: 'blurry', weight: 1 },
      { token: 'ugly', weight: 0 },
      { token: 'noise', weight: -1 },
    ]);
  });

  it('returns nothing for an empty prompt or one without words', () => {
    expect(promptToWeightedTokens('')).toEqual([]);
    expect(promptToWeightedTokens('((( ))) [,] BREAK AND')).toEqual([]);
  });

  it('keeps every weight finite and bounded', () => {
    const [deep] = promptToWeightedTokens('('.repeat(8000) + 'x');
    expect(deep!.weight).toBe(MAX_ABS_WEIGHT);
    expect(promptToWeightedTokens(`(x:${'9'.repeat(400)})`)[0]!.weight).toBe(MAX_ABS_WEIGHT);
    expect(promptToWeightedTokens(`(${'('.repeat(8000)}x${')'.repeat(8000)}:0)`)[0]!.weight).toBe(0); // Infinity × 0
    expect(promptToWeightedTokens('(x:-500)')[0]!.weight).toBe(-MAX_ABS_WEIGHT);
  });

  it('uses the vocabulary tokeniser: lower case, NFC, CJK words, no emoji or punctuation', () => {
    expect(promptToWeightedTokens('(Cafe\u0301:1.5) 一只猫 🐱!').map((t) => t.token)).toEqual(['café', '一只', '猫']);
  });
});

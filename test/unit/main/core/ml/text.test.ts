import { describe, expect, it } from 'vitest';
import { promptToWeightedTokens } from '#shared/prompt/weighted-tokens';
import { buildVocabulary, captionBags, promptBag, UNKNOWN } from '#core/ml/text';

const vocab = buildVocabulary(['red, circle', 'red, square', 'blue, square', 'blue, shiny circle']);
const row = (bag: Float32Array, token: string) => bag[vocab.tokens.indexOf(token)];

describe('vocabulary', () => {
  it('reserves row 0, counts captions per token and orders by frequency', () => {
    expect(vocab.tokens[0]).toBe(UNKNOWN);
    expect(vocab.tokens.slice(1, 5).sort()).toEqual(['blue', 'circle', 'red', 'square']);
    expect(vocab.counts[vocab.tokens.indexOf('red')]).toBe(2);
    expect(vocab.counts[vocab.tokens.indexOf('shiny')]).toBe(1);
  });

  it('splits CJK captions without spaces and CJK separators', () => {
    const v = buildVocabulary(['红色的圆形，蓝色', '赤い、丸']);
    expect(v.tokens).toContain('蓝色');
    expect(v.tokens).toContain('赤い');
    expect(v.tokens).toContain('丸');
    expect(v.tokens.some((t) => t.includes('，') || t.includes('、'))).toBe(false);
  });

  it('normalises NFD captions to NFC tokens', () => {
    const v = buildVocabulary(['Cafe\u0301']);
    expect(v.tokens).toContain('café');
  });
});

describe('condition bags', () => {
  it('gives each caption token an equal share', () => {
    const bag = captionBags(vocab, ['red, circle']).row(0);
    expect(row(bag, 'red')).toBeCloseTo(0.5);
    expect(row(bag, 'circle')).toBeCloseTo(0.5);
    expect(bag.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('a prompt weight scales its token', () => {
    const plain = promptBag(vocab, promptToWeightedTokens('red, circle')).bag;
    const heavy = promptBag(vocab, promptToWeightedTokens('(red:1.5), circle')).bag;
    expect(row(heavy, 'red')).toBeCloseTo(row(plain, 'red') * 1.5);
    expect(row(heavy, 'circle')).toBeCloseTo(row(plain, 'circle'));
  });

  it('a negative prompt moves the condition away from its tokens', () => {
    const pos = promptBag(vocab, promptToWeightedTokens('circle')).bag;
    const neg = promptBag(vocab, promptToWeightedTokens('circle'), promptToWeightedTokens('red'), 0.5).bag;
    expect(row(pos, 'red')).toBe(0);
    expect(row(neg, 'red')).toBeCloseTo(-0.5);
    expect(row(neg, 'circle')).toBeCloseTo(1);
  });

  it('reports words the model never saw instead of dropping them silently', () => {
    const r = promptBag(vocab, promptToWeightedTokens('red, spaceship'), promptToWeightedTokens('blurry'));
    expect(r.unknown).toEqual(['spaceship', 'blurry']);
    // Unknown words do not dilute the known ones.
    expect(row(r.bag, 'red')).toBeCloseTo(1);
  });
});

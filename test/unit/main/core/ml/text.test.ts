import { describe, expect, it } from 'vitest';
import { promptToWeightedTokens } from '#shared/prompt/weighted-tokens';
import { captionTokens } from '#shared/text/tokenize';
import { buildVocabulary, captionBags, MAX_VOCABULARY, promptBag, UNKNOWN } from '#core/ml/text';

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

  it('keeps the most frequent tokens up to MAX_VOCABULARY rows; rarer words become unknown', () => {
    const captions = Array.from({ length: MAX_VOCABULARY + 10 }, (_, i) => `common, word${String(i).padStart(5, '0')}`);
    captions.push('word00007, word00009');
    const v = buildVocabulary(captions);
    expect(v.tokens).toHaveLength(MAX_VOCABULARY);
    expect(v.tokens.slice(1, 4)).toEqual(['common', 'word00007', 'word00009']);
    const bags = captionBags(v, captions);
    const last = bags.row(captions.length - 2); // "common" and a word past the cap
    expect(last[v.tokens.indexOf('common')]).toBe(1);
    expect(last.reduce((a, b) => a + b, 0)).toBe(1);
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

  it('keeps training bags sparse, each row equal to the prompt bag of the caption', () => {
    const captions = ['red, circle', 'blue, blue square', 'nothing known', 'shiny, red, circle'];
    const bags = captionBags(vocab, captions);
    expect(bags.count).toBe(4);
    const unique = (c: string) => [...new Set(captionTokens(c))].map((token) => ({ token, weight: 1 }));
    captions.forEach((c, i) => expect([...bags.row(i)]).toEqual([...promptBag(vocab, unique(c)).bag]));
    const out = new Float32Array(3 * vocab.tokens.length);
    bags.write(1, out, vocab.tokens.length);
    expect([...out.subarray(vocab.tokens.length, 2 * vocab.tokens.length)]).toEqual([...bags.row(1)]);
    expect(out.subarray(0, vocab.tokens.length).every((x) => x === 0)).toBe(true);
  });

  it('a prompt weight scales its token', () => {
    const plain = promptBag(vocab, promptToWeightedTokens('red, circle')).bag;
    const heavy = promptBag(vocab, promptToWeightedTokens('(red:1.5), circle')).bag;
    expect(row(heavy, 'red')).toBeCloseTo(row(plain, 'red')! * 1.5);
    expect(row(heavy, 'circle')).toBeCloseTo(row(plain, 'circle')!);
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

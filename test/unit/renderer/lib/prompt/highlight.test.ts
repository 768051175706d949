import { describe, expect, it } from 'vitest';
import { parseAttention } from '#shared/prompt/parse';
import { highlightPrompt, wordAt } from '../../../../../renderer/lib/prompt/highlight';

// The spans' text and weights, with syntax dropped and escapes unescaped, as parseAttention reports them.
function asAttention(prompt: string) {
  const out: { text: string; weight: number }[] = [];
  for (const s of highlightPrompt(prompt)) {
    if (s.kind !== 'text' && s.kind !== 'escape') continue;
    const text = s.kind === 'escape' ? s.text.slice(1) : s.text;
    const last = out[out.length - 1];
    if (last && Math.abs(last.weight - s.weight) < 1e-12) last.text += text;
    else out.push({ text, weight: s.weight });
  }
  return out;
}

describe('highlightPrompt', () => {
  it('keeps every character of the prompt', () => {
    const p = 'a (red:1.3) ((circle)), [blurry] {x|y} BREAK z AND w \\(lit\\)';
    expect(
      highlightPrompt(p)
        .map((s) => s.text)
        .join(''),
    ).toBe(p);
  });

  it.each([
    'a (red:1.3) circle',
    '((shiny)) ball, [[dull]]',
    '(unclosed and [nested',
    'stray ) and ] brackets',
    'an \\(escaped\\) bracket',
    '(a (b:0.5) c)',
    'plain words only',
  ])('gives each text run the weight parseAttention gives it: %s', (p) => {
    const ours = asAttention(p);
    const theirs = parseAttention(p);
    expect(ours.map((s) => s.text)).toEqual(theirs.map((s) => s.text));
    ours.forEach((s, i) => expect(s.weight).toBeCloseTo(theirs[i]!.weight, 10));
  });

  it('marks weights, keywords and wildcard braces', () => {
    const kinds = highlightPrompt('(red:1.3) BREAK {a|b}').map((s) => `${s.kind}:${s.text}`);
    expect(kinds).toEqual([
      'bracket:(',
      'text:red',
      'weight::1.3)',
      'text: ',
      'keyword:BREAK',
      'text: ',
      'wildcard:{',
      'text:a',
      'wildcard:|',
      'text:b',
      'wildcard:}',
    ]);
  });
});

describe('wordAt', () => {
  it('finds the word left of the caret', () => {
    expect(wordAt('red, cir', 8)).toEqual({ word: 'cir', start: 5, end: 8 });
    expect(wordAt('(shi:1.2)', 4)).toEqual({ word: 'shi', start: 1, end: 4 });
  });
});

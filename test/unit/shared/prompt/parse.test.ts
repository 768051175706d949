import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttention, parsePrompt, splitSubpromptWeight } from '#shared/prompt/parse';

const pairs = (text: string) => parseAttention(text).map((s) => [s.text, s.weight]);

describe('parseAttention: A1111 parse_prompt_attention doctests', () => {
  it.each([
    ['normal text', [['normal text', 1.0]]],
    [
      'an (important) word',
      [
        ['an ', 1.0],
        ['important', 1.1],
        [' word', 1.0],
      ],
    ],
    ['(unbalanced', [['unbalanced', 1.1]]],
    ['\\(literal\\]', [['(literal]', 1.0]]],
    ['(unnecessary)(parens)', [['unnecessaryparens', 1.1]]],
    [
      'a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).',
      [
        ['a ', 1.0],
        ['house', 1.5730000000000004],
        [' ', 1.1],
        ['on', 1.0],
        [' a ', 1.1],
        ['hill', 0.55],
        [', sun, ', 1.1],
        ['sky', 1.4641000000000006],
        ['.', 1.1],
      ],
    ],
  ])('%j', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });
});

// Outputs of the Python original (modules/prompt_parser.py) for these inputs, floats bit for bit.
describe('parseAttention: more cases checked against the Python original', () => {
  it.each([
    ['((a)', [['a', 1.2100000000000002]]],
    ['a)', [['a)', 1.0]]],
    [']b[', [[']b', 1.0]]],
    ['[[a]]', [['a', 0.8264462809917354]]],
    ['([a])', [['a', 1.0]]],
    ['[a:1.5]', [['a:1.5', 0.9090909090909091]]],
    ['(a:1.5', [['a:1.5', 1.1]]],
    ['(a:-0.5)', [['a', -0.5]]],
    ['(a:0)', [['a', 0]]],
    ['(a :  2 )', [['a ', 2.0]]],
    ['(a:+.5)', [['a', 0.5]]],
    ['(a:1.)', [['a', 1.0]]],
    ['(a:abc)', [['a:abc', 1.1]]],
    [
      '\\\\(a)',
      [
        ['\\', 1.0],
        ['a', 1.1],
      ],
    ],
    ['a\\b', [['ab', 1.0]]],
    ['\\)', [[')', 1.0]]],
    [
      '(a)(b:1.5)',
      [
        ['a', 1.1],
        ['b', 1.5],
      ],
    ],
    ['((a:1.2):1.5)', [['a', 1.7999999999999998]]],
    [
      '((a)b)c',
      [
        ['a', 1.2100000000000002],
        ['b', 1.1],
        ['c', 1.0],
      ],
    ],
    [':1.3)', [[':1.3)', 1.0]]],
    ['aBREAK b', [['aBREAK b', 1.0]]],
    [
      'x BREAK',
      [
        ['x', 1.0],
        ['BREAK', -1],
        ['', 1.0],
      ],
    ],
    [
      'BREAK',
      [
        ['', 1.0],
        ['BREAK', -1],
        ['', 1.0],
      ],
    ],
    [
      'CJK（猫）(猫:1.2)',
      [
        ['CJK（猫）', 1.0],
        ['猫', 1.2],
      ],
    ],
    ['(🐱 emoji)', [['🐱 emoji', 1.1]]],
    ['', [['', 1.0]]],
  ])('%j', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });
});

describe('parseAttention: where A1111 crashes or misreads', () => {
  it('reads a weight that is not a float as text (A1111 raises ValueError)', () => {
    expect(pairs('(a:1.2.3)')).toEqual([['a:1.2.3', 1.1]]);
    expect(pairs('(a:.)')).toEqual([['a:.', 1.1]]);
  });

  it('treats \\: as a literal colon that never starts a weight', () => {
    expect(pairs('(a\\:1.3)')).toEqual([['a:1.3', 1.1]]);
    expect(pairs('a\\: b')).toEqual([['a: b', 1.0]]);
  });

  it('keeps BREAK a BREAK inside brackets (A1111 turns it into the word with weight -1.1)', () => {
    expect(pairs('(a BREAK b)')).toEqual([
      ['a', 1.1],
      ['BREAK', -1],
      ['b', 1.1],
    ]);
    expect(parsePrompt('(a BREAK b)').subprompts[0]!.chunks.map((c) => c.map((s) => s.text))).toEqual([['a'], ['b']]);
  });
});

describe('splitSubpromptWeight: A1111 re_weight', () => {
  it.each([
    ['a', 'a', 1],
    ['a:1.5', 'a', 1.5],
    ['a : 1.5 ', 'a', 1.5],
    [' b:0.5', ' b', 0.5],
    ['x:-2', 'x', -2],
    ['x:.5', 'x', 0.5],
    ['x:1.2.3', 'x:1.2.3', 1],
    ['(a:1.3)', '(a:1.3)', 1],
    ['a::1', 'a:', 1],
    ['', '', 1],
    ['   ', '', 1],
  ])('%j', (text, expectedText, weight) => {
    expect(splitSubpromptWeight(text)).toEqual({ text: expectedText, weight });
  });
});

describe('parsePrompt', () => {
  const shape = (prompt: string) =>
    parsePrompt(prompt).subprompts.map((s) => ({
      weight: s.weight,
      chunks: s.chunks.map((c) => c.map((seg) => [seg.tokens, seg.weight])),
    }));

  it('splits on AND with A1111 word boundaries and reads each sub-prompt weight', () => {
    expect(parsePrompt('a AND b:0.5').subprompts.map((s) => [s.text, s.weight])).toEqual([
      ['a', 1],
      [' b', 0.5],
    ]);
    expect(parsePrompt('BANDANA AND x').subprompts.map((s) => s.text)).toEqual(['BANDANA', ' x']);
    expect(parsePrompt('a ANDb').subprompts).toHaveLength(1);
    expect(parsePrompt('éAND x').subprompts).toHaveLength(1); // Python's \b is Unicode-aware
    expect(parsePrompt('(a AND b:2)').subprompts.map((s) => [s.text, s.weight])).toEqual([
      ['(a', 1],
      [' b:2)', 1],
    ]);
  });

  it('gives every segment its tags and word tokens, and drops BREAK and empty segments', () => {
    const [sub] = parsePrompt('a red cat, (blue sky:1.2) BREAK grass').subprompts;
    expect(sub!.chunks.map((c) => c.map((s) => ({ text: s.text, tags: s.tags, tokens: s.tokens })))).toEqual([
      [
        { text: 'a red cat, ', tags: ['a red cat'], tokens: ['a', 'red', 'cat'] },
        { text: 'blue sky', tags: ['blue sky'], tokens: ['blue', 'sky'] },
      ],
      [{ text: 'grass', tags: ['grass'], tokens: ['grass'] }],
    ]);
  });

  it('handles an empty prompt and a prompt of only weights', () => {
    expect(shape('')).toEqual([{ weight: 1, chunks: [[]] }]);
    expect(shape('(:1.2)')).toEqual([{ weight: 1, chunks: [[]] }]);
    expect(shape('(((( ))))')).toEqual([{ weight: 1, chunks: [[[[], 1.4641000000000006]]] }]);
  });

  it('keeps weight 0 and negative weights', () => {
    expect(shape('(a:0) (b:-1)')).toEqual([
      {
        weight: 1,
        chunks: [
          [
            [['a'], 0],
            [[], 1],
            [['b'], -1],
          ],
        ],
      },
    ]);
  });

  it('multiplies through deep nesting without blowing the stack', () => {
    const depth = 8000;
    const [sub] = parsePrompt('('.repeat(depth) + 'x' + ')'.repeat(depth)).subprompts;
    expect(sub!.chunks[0]![0]!.tokens).toEqual(['x']);
    expect(sub!.chunks[0]![0]!.weight).toBe(Infinity); // 1.1^8000 overflows, as in A1111
    expect(parseAttention('('.repeat(50) + 'x' + ')'.repeat(50))[0]!.weight).toBeCloseTo(1.1 ** 50, 6);
  });

  it('parses a 10 000-character prompt quickly', () => {
    const prompt = 'a (red:1.2) cat, [small] dog BREAK '.repeat(300).slice(0, 10_000);
    const start = performance.now();
    const parsed = parsePrompt(prompt);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(parsed.subprompts[0]!.chunks.length).toBeGreaterThan(250);
  });

  it('tokenises emoji and CJK text and normalises NFD input to NFC', () => {
    expect(shape('(猫:1.2) 在草地上 🐱')[0]!.chunks[0]).toEqual([
      [['猫'], 1.2],
      [['在', '草地', '上'], 1],
    ]);
    const nfd = 'cafe\u0301';
    const [sub] = parsePrompt(`(${nfd})`).subprompts;
    expect(sub!.chunks[0]![0]!.text).toBe(nfd); // the text is what the user typed
    expect(sub!.chunks[0]![0]!.tokens).toEqual(['caf\u00e9']); // tokens match the NFC vocabulary
  });
});

describe('fuzz: any string parses, nothing throws, time stays linear', () => {
  const alphabet = fc.constantFrom(
    '(',
    ')',
    '[',
    ']',
    ':',
    '\\',
    '{',
    '}',
    '|',
    ' ',
    'a',
    '1',
    '.',
    '-',
    'BREAK',
    'AND',
    '猫',
    '🐱',
    '\n',
    ',',
    'e\u0301',
  );
  const prompts = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')),
  );

  it('parsePrompt and parseAttention never throw and always return segments', () => {
    fc.assert(
      fc.property(prompts, (p) => {
        expect(parseAttention(p).length).toBeGreaterThan(0);
        const parsed = parsePrompt(p);
        expect(parsed.subprompts.length).toBeGreaterThan(0);
        for (const s of parsed.subprompts) for (const c of s.chunks) for (const seg of c) expect(typeof seg.weight).toBe('number');
      }),
      { interruptAfterTimeLimit: 2000, numRuns: 100_000 },
    );
  });

  it('pathological 10 000-character inputs stay fast', () => {
    for (const p of [
      ' '.repeat(10_000) + 'x',
      ':'.repeat(10_000),
      (': ' + ' '.repeat(50)).repeat(190),
      '\\'.repeat(10_000),
      '(['.repeat(5000),
      ' '.repeat(9_990) + 'BREAK x AND',
    ]) {
      const start = performance.now();
      parsePrompt(p);
      expect(performance.now() - start).toBeLessThan(500);
    }
  });
});

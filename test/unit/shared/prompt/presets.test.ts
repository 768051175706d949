import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '#shared/prompt/csv';
import {
  applyPresets,
  applyTemplate,
  presetsFromCsv,
  presetsFromJson,
  presetsToCsv,
  presetsToJson,
  type Preset,
} from '#shared/prompt/presets';

const presets: Preset[] = [
  { name: 'Watercolor', prompt: 'watercolor painting of {prompt}, soft edges', negativePrompt: 'photo, {prompt}' },
  { name: 'Sharp', prompt: 'highly detailed', negativePrompt: 'blurry' },
  { name: 'Tricky "quotes", commas\nand lines', prompt: '', negativePrompt: '' },
  { name: 'Unicode 猫 🐱', prompt: '(猫:1.2), {prompt}', negativePrompt: 'café' },
];

describe('applying presets (A1111 merge_prompts)', () => {
  it('replaces every {prompt}, or appends with ", " when there is none', () => {
    expect(applyTemplate('art of {prompt}, {prompt}!', 'a cat')).toBe('art of a cat, a cat!');
    expect(applyTemplate('highly detailed', ' a cat ')).toBe('a cat, highly detailed');
    expect(applyTemplate('highly detailed', '')).toBe('highly detailed');
    expect(applyTemplate('', 'a cat')).toBe('a cat');
  });

  it('applies several presets in order to the prompt and the negative prompt', () => {
    expect(applyPresets({ prompt: 'a cat', negativePrompt: 'dog' }, presets.slice(0, 2))).toEqual({
      prompt: 'watercolor painting of a cat, soft edges, highly detailed',
      negativePrompt: 'photo, dog, blurry',
    });
    expect(applyPresets({ prompt: 'x', negativePrompt: '' }, [])).toEqual({ prompt: 'x', negativePrompt: '' });
  });
});

describe('styles.csv', () => {
  it('writes A1111 styles.csv: header, QUOTE_MINIMAL, CRLF', () => {
    expect(presetsToCsv(presets.slice(1, 3))).toBe(
      'name,prompt,negative_prompt\r\nSharp,highly detailed,blurry\r\n"Tricky ""quotes"", commas\nand lines",,\r\n',
    );
  });

  it('round-trips through CSV', () => {
    expect(presetsFromCsv(presetsToCsv(presets))).toEqual(presets);
  });

  it('reads what A1111 accepts: BOM, spaces after commas, old name,text files, blank lines', () => {
    const csv = '\uFEFFname, prompt, negative_prompt\n\nA, "x, y", z\r\nB,only prompt\n';
    expect(presetsFromCsv(csv)).toEqual([
      { name: 'A', prompt: 'x, y', negativePrompt: 'z' },
      { name: 'B', prompt: 'only prompt', negativePrompt: '' },
    ]);
    expect(presetsFromCsv('name,text\nOld,{prompt} style\n')).toEqual([{ name: 'Old', prompt: '{prompt} style', negativePrompt: '' }]);
    expect(presetsFromCsv('')).toEqual([]);
  });

  it('keeps the last of repeated names at the first position, like A1111 dict loading', () => {
    expect(presetsFromCsv('name,prompt\nA,1\nB,2\nA,3\n').map((p) => [p.name, p.prompt])).toEqual([
      ['A', '3'],
      ['B', '2'],
    ]);
  });

  it('explains a file without the needed columns', () => {
    expect(() => presetsFromCsv('title,body\nx,y\n')).toThrow(/no "name" and "prompt" columns/u);
  });
});

describe('JSON presets', () => {
  it('round-trips and uses the name/prompt/negative_prompt list of style packs', () => {
    const json = presetsToJson(presets);
    expect(JSON.parse(json)[0]).toEqual({ name: 'Watercolor', prompt: presets[0]!.prompt, negative_prompt: presets[0]!.negativePrompt });
    expect(presetsFromJson(json)).toEqual(presets);
  });

  it('defaults missing prompts and explains bad files', () => {
    expect(presetsFromJson('[{"name":"A"}]')).toEqual([{ name: 'A', prompt: '', negativePrompt: '' }]);
    expect(() => presetsFromJson('{')).toThrow(/not valid JSON/u);
    expect(() => presetsFromJson('{"name":"A"}')).toThrow(/must be a list/u);
    expect(() => presetsFromJson('[{"prompt":"x"}]')).toThrow(/Preset 1 .* "name"/u);
    expect(() => presetsFromJson('[{"name":"A","prompt":3}]')).toThrow(/"prompt" as text/u);
  });
});

describe('csv (Python csv module semantics)', () => {
  it('parses quotes only at the start of a field and doubles quotes inside', () => {
    expect(parseCsv('a,"b,""c""",d"e"\r\n"x\ny",z')).toEqual([
      ['a', 'b,"c"', 'd"e"'],
      ['x\ny', 'z'],
    ]);
    expect(parseCsv('a, "b"')).toEqual([['a', ' "b"']]);
    expect(parseCsv('a, "b"', { skipInitialSpace: true })).toEqual([['a', 'b']]);
    expect(parseCsv('"unterminated')).toEqual([['unterminated']]);
  });

  it('round-trips arbitrary fields', () => {
    const rows = [['', 'a,b', '"', '\r\n', ' lead', 'x']];
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
    expect(formatCsv([['']])).toBe('""\r\n');
  });
});

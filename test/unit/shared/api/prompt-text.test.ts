// Prompts, captions, preset and tag names with control characters are refused by the API schemas, with
// where the character is; tabs, line breaks and any real Unicode text pass.
import { describe, expect, it } from 'vitest';
import { API } from '#shared/api/index';
import { controlCharacterProblem } from '#shared/prompt/plain-text';

describe('plain text', () => {
  it('names the character and where it is', () => {
    expect(controlCharacterProblem('red\u0000circle')).toBe(
      'contains the control character U+0000 at character 4; this text must be plain text, so remove it',
    );
    expect(controlCharacterProblem('a\u001b[31m')).toMatch(/U\+001B at character 2/);
    expect(controlCharacterProblem('a\u0085')).toMatch(/U\+0085/);
    expect(controlCharacterProblem('bad \ud800 half')).toMatch(/half of a UTF-16 pair U\+D800 at character 5/);
  });

  it('lets tabs, line breaks, emoji and every script through', () => {
    for (const fine of ['red, round', 'line one\nline two\r\n\tthree', '猫, (shiny:1.3), 🐈', 'naïve café', '']) {
      expect(controlCharacterProblem(fine), fine).toBeNull();
    }
  });

  it('is the rule of every prompt field the app takes', () => {
    const nul = 'red\u0000circle';
    const refused: [keyof typeof API, unknown, string][] = [
      ['generate.start', { runId: 1, prompt: nul }, 'prompt'],
      ['generate.start', { runId: 1, prompt: 'red', negative: nul }, 'negative'],
      ['generate.start', { runId: 1, prompt: 'red', mode: 'grid', x: { kind: 'prompt', values: `red,${nul}` } }, 'x.values'],
      ['generate.start', { runId: 1, prompt: 'red', tags: [nul] }, 'tags.0'],
      ['prompts.check', { prompt: nul }, 'prompt'],
      ['presets.create', { name: 'p', positive: nul }, 'positive'],
      ['datasets.setCaption', { imageId: 1, caption: nul, writeSidecar: false }, 'caption'],
      ['gallery.tag', { id: 1, add: [nul] }, 'add.0'],
    ];
    for (const [method, input, field] of refused) {
      const result = API[method].input.safeParse(input);
      expect(result.success, method).toBe(false);
      expect(result.error!.issues[0], method).toMatchObject({
        path: field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        message: expect.stringMatching(/U\+0000/),
      });
    }
    expect(API['generate.start'].input.safeParse({ runId: 1, prompt: 'red,\nround' }).success).toBe(true);
  });
});

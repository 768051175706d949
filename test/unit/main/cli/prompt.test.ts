import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { promptCommand } from '#main/cli/prompt';
import { UserError } from '#core/errors';
import type { Vocabulary } from '#shared/vocabulary';
import { captureStdout } from '#test/fixtures/capture-stdout';

function run(...args: string[]): Promise<string> {
  return captureStdout(() => promptCommand().parseAsync(args, { from: 'user' }));
}

let runDir: string;
beforeAll(() => {
  runDir = mkdtempSync(join(tmpdir(), 'homegrown-prompt-'));
  const vocab: Vocabulary = {
    tokens: ['<unk>', 'cat', 'dog', 'red'],
    counts: [0, 3, 2, 2],
    captions: [['cat', 'red'], ['cat', 'red'], ['cat'], ['dog'], ['dog']],
  };
  writeFileSync(join(runDir, 'vocab.json'), JSON.stringify(vocab));
});
afterAll(() => rmSync(runDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('prompt parse', () => {
  it('prints segments, weights and tokens of the prompt and the negative prompt', async () => {
    const out = await run('parse', 'a ((house)) BREAK sky AND dog:0.5', '--negative', '(ugly:1.3)');
    expect(out).toBe(
      [
        'Prompt: a ((house)) BREAK sky AND dog:0.5',
        '         1  "a "  → a',
        '      1.21  "house"  → house',
        '  BREAK',
        '         1  "sky"  → sky',
        '  AND sub-prompt weight 0.5',
        '         1  " dog"  → dog',
        'Negative prompt: (ugly:1.3)',
        '       1.3  "ugly"  → ugly',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with the weighted tokens the engine uses', async () => {
    const json = JSON.parse(await run('parse', '(red:1.5) cat', '--negative', 'blurry', '--json'));
    expect(json.prompt.tokens).toEqual([
      { token: 'red', weight: 1.5 },
      { token: 'cat', weight: 1 },
    ]);
    expect(json.prompt.subprompts[0].chunks[0][0]).toMatchObject({ text: 'red', weight: 1.5, tokens: ['red'] });
    expect(json.negative.tokens).toEqual([{ token: 'blurry', weight: 1 }]);
  });
});

describe('prompt expand', () => {
  it('prints every combination', async () => {
    expect(await run('expand', '{red|blue} {cat|dog}', '--combinatorial')).toBe('red cat\nred dog\nblue cat\nblue dog\n');
  });

  it('prints seeded picks that repeat for the same seed', async () => {
    const a = await run('expand', '{red|green|blue} cat', '--seed', '42', '--count', '4');
    expect(a.trim().split('\n')).toHaveLength(4);
    expect(await run('expand', '{red|green|blue} cat', '--seed', '42', '--count', '4')).toBe(a);
  });

  it('expands a prompt matrix', async () => {
    expect(await run('expand', 'cat|red', '--matrix')).toBe('cat\ncat, red\n');
  });

  it('reports the limit and bad numbers as user errors', async () => {
    await expect(run('expand', '{a|b}{a|b}{a|b}', '--combinatorial', '--limit', '4')).rejects.toThrow(
      new UserError('This prompt would produce 8 prompts, more than the limit of 4: remove options or raise the limit.'),
    );
    await expect(run('expand', 'x', '--seed', '-3')).rejects.toBeInstanceOf(UserError);
    await expect(run('expand', 'x', '--limit', 'lots')).rejects.toThrow(/--limit must be a whole number/u);
  });
});

describe('prompt check', () => {
  it('lists unknown words with suggestions from the run vocabulary', async () => {
    const out = await run('check', 'a (red) cta', '--run', runDir);
    expect(out).toContain('Known words: red');
    expect(out).toContain('  cta → did you mean cat (3×)?');
    expect(out).toContain('  a (no similar known word)');
    expect(out).toContain('Often seen with these words: cat');
    expect(out).toContain('Suggested prompts:\n  red, cat');
  });

  it('prints JSON', async () => {
    const json = JSON.parse(await run('check', 'dgo', '--run', runDir, '--json'));
    expect(json.unknown[0]).toMatchObject({ word: 'dgo', suggestions: [{ token: 'dog', distance: 1 }] });
  });

  it('says in one line when the folder is not a run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'homegrown-not-a-run-'));
    try {
      await expect(run('check', 'cat', '--run', empty)).rejects.toThrow(
        new UserError(`${empty} is not a Homegrown run (it has no vocab.json).`),
      );
      writeFileSync(join(empty, 'vocab.json'), '{"tokens": 3}');
      await expect(run('check', 'cat', '--run', empty)).rejects.toThrow(/is not a Homegrown vocabulary/u);
      writeFileSync(join(empty, 'vocab.json'), '{oops');
      await expect(run('check', 'cat', '--run', empty)).rejects.toThrow(/is not valid JSON/u);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    await expect(run('check', 'cat')).rejects.toThrow(/needs --run/u);
  });
});

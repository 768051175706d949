// A prompt with a control character is refused on the command line before anything runs.
import { describe, expect, it } from 'vitest';
import { runCommand } from '#test/fixtures/capture-stdout';

describe('prompts on the command line', () => {
  it.each([
    [['sample', 'no-such-run', 'red\u001b[31m'], '<prompt> contains the control character U+001B at character 4'],
    [['sample', 'no-such-run', 'red', '--negative', 'blue\u0007'], '--negative contains the control character U+0007 at character 5'],
    [['walk', 'no-such-run', '--from', 'a', '--to', 'b\u0008'], '--to contains the control character U+0008'],
    [['prompt', 'parse', 'x\u007f'], '<text> contains the control character U+007F'],
  ])('%j is refused', async (args, message) => {
    const { code, out, err } = await runCommand(args);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`homegrown: ${message}`);
  });

  it('lets a plain prompt with a line break through to the command', async () => {
    const { code, err } = await runCommand(['prompt', 'parse', 'red,\nround']);
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

// The command tree loads a command's module only when that command runs: with no command named, every
// command is listed from the table alone; naming one loads it in full (its options and arguments).
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS } from '#main/cli/program';
import { runCommand } from '#test/fixtures/capture-stdout';

const byName = async (argv: string[]) => new Map((await buildProgram(argv)).commands.map((c) => [c.name(), c]));

describe('homegrown command tree', () => {
  it('lists every command with its description without loading any', async () => {
    const commands = await byName(['--help']);
    expect([...commands.keys()]).toEqual(Object.keys(COMMANDS));
    for (const [name, cmd] of commands) {
      expect(cmd.description()).toBe(COMMANDS[name]!.description);
      expect(cmd.options, name).toHaveLength(0);
      expect(cmd.commands, name).toHaveLength(0);
    }
  });

  it('loads the named command in full, and only that one', async () => {
    const commands = await byName(['prompt', 'parse', 'red, round']);
    expect(commands.get('prompt')!.commands.map((c) => c.name())).toEqual(['parse', 'expand', 'check']);
    expect(commands.get('prompt')!.description()).toBe(COMMANDS.prompt!.description);
    expect(commands.get('train')!.options).toHaveLength(0);
    const help = await byName(['help', 'train']);
    expect(help.get('train')!.options.map((o) => o.long)).toContain('--resume');
  });

  it('runs a lazily loaded command, and answers --version and unknown commands', async () => {
    const parsed = await runCommand(['prompt', 'parse', 'red, (round:1.5)', '--json']);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.out).prompt.tokens).toHaveLength(2);
    const version = await runCommand(['--version']);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const typo = await runCommand(['trian']);
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/unknown command 'trian'[\s\S]*Did you mean train\?/);
  });
});

// Unexpected errors in the `homegrown` command: one readable line naming a log file that holds the
// stack, never Node's report with its line of minified wasm source.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE } from '#main/cli/crash';

let home: string;
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-crash-'));
});

const crash = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOMEGROWN_HOME: home },
  });

describe('an unexpected crash of the CLI', () => {
  it('without the crash handling, Node prints a line of minified wasm source and exits 7', () => {
    const r = crash('timer', 'unguarded');
    expect(r.status).toBe(7);
    // tfjs picks its threaded build when it can: either build's file is minified source.
    expect(r.stderr).toMatch(/tfjs-backend-wasm(-threaded-simd)?\.js/);
  }, 60_000);

  it.each(['throw', 'timer', 'rejection'])(
    '(%s) prints one line with the log file that holds the stack',
    async (how) => {
      const r = crash(how);
      expect(r.status).toBe(CRASH_EXIT_CODE);
      expect(r.stderr).not.toMatch(/tfjs-backend-wasm/);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      const m = lines[0]!.match(/^homegrown: unexpected error: kernel exploded: x+… \(full report: (.+)\)$/);
      expect(m).not.toBeNull();
      expect(lines[0]!.length).toBeLessThan(400);
      const log = m![1];
      expect(path.dirname(log!)).toBe(path.join(home, 'logs'));
      const report = await fs.readFile(log!, 'utf8');
      expect(report).toContain('x'.repeat(5000));
      expect(report).toMatch(/\n    at .*crash-cli\.ts:\d+/);
      expect(report).toContain('the cause, kept in the report');
    },
    60_000,
  );
});

// `homegrown db check [--fix]` on a store as older versions left it (rows of pruned checkpoints) and
// with the orphans a crash leaves: what it prints, its exit code, and that --fix makes it pass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dbCommand } from '#main/cli/db';
import { Store } from '#core/store/index';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** `homegrown db <args>` in-process: its exit code and what it printed. */
async function runCommand(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  process.exitCode = undefined;
  await dbCommand().parseAsync(args.slice(1), { from: 'user' });
  vi.restoreAllMocks();
  return { code: Number(process.exitCode ?? 0), out: lines.join('\n') };
}

function storeWithLeftovers(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-db-check-'));
  const store = Store.open({ home });
  const run = store.runs.create({ model: 'gan', config: {} });
  for (const step of [1, 2, 3]) {
    fs.mkdirSync(store.files.resolve(`runs/${run.id}/checkpoints/${step}`), { recursive: true });
    store.runs.addCheckpoint({ runId: run.id, step, path: `runs/${run.id}/checkpoints/${step}`, manifestHash: `h${step}`, metrics: {} });
  }
  // Pruned by an older version that left the rows behind.
  for (const step of [1, 2]) fs.rmSync(store.files.resolve(`runs/${run.id}/checkpoints/${step}`), { recursive: true });
  const orphan = store.files.resolve('images/2026-01/lost.png');
  fs.mkdirSync(path.dirname(orphan), { recursive: true });
  fs.writeFileSync(orphan, 'half an image');
  fs.utimesSync(orphan, new Date(0), new Date(0));
  store.close();
  return home;
}

describe('db check', () => {
  it('fails on rows of missing checkpoints, lists orphans, and --fix makes the store pass', async () => {
    const home = storeWithLeftovers();
    const before = await runCommand(['db', 'check', '--home', home]);
    expect(before.code).toBe(1);
    expect(before.out).toContain('files: 3 referenced, 2 missing');
    expect(before.out).toContain('orphans: 1 files no row accounts for');
    expect(before.out).toContain('  orphan: images/2026-01/lost.png');

    const fixed = await runCommand(['db', 'check', '--fix', '--home', home]);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('removed: images/2026-01/lost.png');
    expect(fixed.out).toContain('forgot 2 checkpoints whose folders are gone');
    expect(fixed.out).toContain('files: 1 referenced, 0 missing');
    expect(fixed.out).not.toContain('orphan');

    const after = await runCommand(['db', 'check', '--json', '--home', home]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out)).toMatchObject({ ok: true, missingFiles: [], orphans: [] });
  });
});

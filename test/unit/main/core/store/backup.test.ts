import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dbCommand } from '#main/cli/db';
import { UserError } from '#core/errors';
import { integrityProblems } from '#core/store/backup';
import { tempDir, tempStore } from './temp-home';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function cli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  await dbCommand().parseAsync(args, { from: 'user' });
  return lines.join('\n');
}

describe('backup', () => {
  it('copies a live database with the online backup API; the copy passes integrity_check and is one file', async () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'gan', config: {} });
    for (let i = 0; i < 20; i++) store.prompts.record({ prompt: `prompt ${i}`, runId: run.id });
    const target = path.join(tempDir(), 'backup.db');
    // Writes still waiting in the WAL are part of the snapshot.
    expect(fs.statSync(`${store.files.databasePath}-wal`).size).toBeGreaterThan(0);
    const result = await store.backup(target);
    expect(result.path).toBe(target);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['backup.db']);
    const copy = new Database(target, { readonly: true });
    expect(integrityProblems(copy)).toEqual([]);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) AS n FROM prompts').get()).toEqual({ n: 20 });
    copy.close();
    await expect(store.backup(store.files.databasePath)).rejects.toThrow(UserError);
  });

  it('`db backup <file> --home` and `db check` work from the command line', async () => {
    const home = tempDir();
    const store = tempStore(home);
    const run = store.runs.create({ model: 'gan', config: {} });
    const g = await store.generations.save({ image: new Uint8Array([1]), prompt: 'fox', seed: 1, runId: run.id, backend: 'cpu' });
    const target = path.join(tempDir(), 'out.db');
    expect(await cli('backup', target, '--home', home)).toMatch(/integrity ok/);
    expect(fs.existsSync(target)).toBe(true);

    expect(await cli('check', '--home', home)).toContain('files: 1 referenced, 0 missing');
    expect(process.exitCode).toBeUndefined();
    fs.rmSync(store.files.resolve(g.path));
    const report = JSON.parse(await cli('check', '--home', home, '--json'));
    expect(report).toMatchObject({ ok: false, integrity: [], missingFiles: [g.path] });
    expect(process.exitCode).toBe(1);
  });

  it('`db backup` refuses a folder without a database', async () => {
    await expect(cli('backup', path.join(tempDir(), 'x.db'), '--home', tempDir())).rejects.toThrow(/No database/);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrityProblems } from '#core/store/backup';
import { tempDir, tempStore } from './temp-home';

const WRITER = path.resolve('test/fixtures/store-writer.ts');
const KILLS = 20;
// Two writers at a time, as when the app and a training process share the database; it also halves
// the time spent waiting for processes to start.
const CONCURRENT = 2;

// Starts the writer (node with tsx's loader: one process, so the SIGKILL lands on the writer itself
// rather than on an npx wrapper), kills it 0–100 ms after its first commit so the kill lands inside
// the write loop, and returns the ids it reported.
function writeUntilKilled(home: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), Math.random() * 100));
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited with ${code}: ${err}`));
      // A line cut off by the kill is not a report of a commit.
      resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

function imageFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

describe('durability', () => {
  it(`SIGKILL during writes, ${KILLS} times: integrity ok, committed rows kept, every row's file there, orphans fixed`, async () => {
    const home = tempDir();
    const committed: number[] = [];
    let started = 0;
    const lane = async () => {
      while (started < KILLS) {
        started++;
        committed.push(...(await writeUntilKilled(home)));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT }, lane));

    const store = tempStore(home);
    expect(integrityProblems(store.db)).toEqual([]);
    const ids = new Set(
      store.db
        .prepare<[], { id: number }>('SELECT id FROM generations')
        .all()
        .map((r) => r.id),
    );
    expect(committed.length).toBeGreaterThanOrEqual(KILLS);
    expect(committed.filter((id) => !ids.has(id))).toEqual([]);
    expect(store.check()).toMatchObject({ ok: true, missingFiles: [], foreignKeyViolations: 0, searchIndexProblems: [] });
    expect(store.generations.search({ tag: 'killed', limit: 1 }).items).toHaveLength(1);

    // What the kills left without a row (whole images, half-written temporary files) is reported once
    // settled, and the fix leaves exactly one file per row: these images carry no recipe to adopt.
    const files = imageFiles(store.files.resolve('images'));
    const old = new Date(Date.now() - 3_600_000);
    for (const f of files) fs.utimesSync(f, old, old);
    const orphans = store.check().orphans;
    expect(orphans.length).toBe(files.length - ids.size);
    const fixed = await store.fix();
    expect(fixed).toMatchObject({ adopted: [], removed: orphans });
    expect(imageFiles(store.files.resolve('images'))).toHaveLength(ids.size);
    expect(store.check()).toMatchObject({ ok: true, orphans: [] });
  }, 120_000);
});

// `homegrown db backup`: SQLite's online backup API copies a consistent snapshot while the app (or a
// training process) keeps writing. The copy is written under a temporary name, verified with
// integrity_check, made a single self-contained file, and only then renamed to the name asked for.
import Database from 'better-sqlite3';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './open';
import { UserError } from '../errors';
import { renameDurable, syncFile, tempPathFor } from '../files/durable';

export interface BackupResult {
  path: string;
  pages: number;
}

export async function backupDatabase(db: Db, destination: string): Promise<BackupResult> {
  const target = path.resolve(destination);
  if (target === path.resolve(db.name)) throw new UserError('A backup cannot overwrite the database itself');
  const temp = tempPathFor(target);
  try {
    const { totalPages } = await db.backup(temp);
    const copy = new Database(temp);
    try {
      // The copy inherits WAL mode; DELETE mode keeps it one file with no -wal beside it.
      copy.pragma('journal_mode = DELETE');
      const problems = integrityProblems(copy);
      if (problems.length > 0) throw new Error(`The backup failed integrity_check: ${problems.join('; ')}`);
    } finally {
      copy.close();
    }
    await syncFile(temp);
    await renameDurable(temp, target);
    return { path: target, pages: totalPages };
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
}

/** PRAGMA integrity_check's findings; empty when the database is sound. */
export function integrityProblems(db: Db): string[] {
  const rows = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
}

// Opens the SQLite file with the settings every connection needs (docs/reliability.md promise 7): WAL so
// the training process and the app can share it, synchronous=FULL so a commit survives power loss,
// foreign keys (off by default in SQLite), and a busy timeout instead of immediate SQLITE_BUSY.
import Database from 'better-sqlite3';
import { UserError } from '../errors';
import { migrate, refuseNewer } from './migrations';

export type Db = Database.Database;

export const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** Refuse instead of creating an empty database (for `db backup`, `db check`). */
  mustExist?: boolean;
  /** Bring the schema up to date (default true); a backup copies the file as it is. */
  migrate?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    // `timeout` is SQLite's busy timeout (read back as PRAGMA busy_timeout).
    db = new Database(file, { fileMustExist: options.mustExist ?? false, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    if (options.mustExist && (err as { code?: string }).code === 'SQLITE_CANTOPEN') {
      throw new UserError(`No database at ${file}`);
    }
    throw err;
  }
  try {
    // Checked before anything writes to the file: a newer database is left exactly as it was.
    refuseNewer(db);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new UserError(`Cannot use write-ahead logging for ${file} (got ${String(mode)}); keep the app data on a local disk.`);
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (options.migrate ?? true) migrate(db);
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') throw new UserError(`${file} is not a database`);
    throw err;
  }
}

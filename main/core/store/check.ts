// `homegrown db check`: is the file sound, do the rows agree with each other, and is every file a row
// points at really there.
import type { AppFiles } from './files';
import type { Db } from './open';
import { integrityProblems } from './backup';

export interface CheckReport {
  ok: boolean;
  /** integrity_check findings (empty when sound). */
  integrity: string[];
  foreignKeyViolations: number;
  /** Full-text indexes that disagree with their tables. */
  searchIndexProblems: string[];
  referencedFiles: number;
  /** Relative paths stored in rows whose file is missing. */
  missingFiles: string[];
}

const FTS_TABLES = ['generations_fts', 'prompts_fts', 'captions_fts'];

export function checkStore(db: Db, files: AppFiles): CheckReport {
  const integrity = integrityProblems(db);
  const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
  const searchIndexProblems: string[] = [];
  for (const fts of FTS_TABLES) {
    try {
      db.prepare(`INSERT INTO ${fts}(${fts}) VALUES ('integrity-check')`).run();
    } catch (err) {
      searchIndexProblems.push(`${fts}: ${(err as Error).message}`);
    }
  }
  const paths = db
    .prepare<[], { path: string }>(
      'SELECT path FROM generations UNION ALL SELECT path FROM checkpoints UNION ALL SELECT path FROM sample_sheets',
    )
    .all()
    .map((r) => r.path);
  const missingFiles = paths.filter((p) => !files.exists(p));
  const ok = integrity.length === 0 && foreignKeyViolations === 0 && searchIndexProblems.length === 0 && missingFiles.length === 0;
  return { ok, integrity, foreignKeyViolations, searchIndexProblems, referencedFiles: paths.length, missingFiles };
}

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase } from '#core/store/open';
import { SCHEMA_VERSION } from '#core/store/migrations';
import { UserError } from '#core/errors';
import { tempDir } from './temp-home';

describe('openDatabase', () => {
  it('reads back WAL, synchronous=FULL, foreign_keys=ON and the busy timeout, migrated to the latest schema', () => {
    const db = openDatabase(path.join(tempDir(), 'homegrown.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a missing file when it must exist, without creating it', () => {
    const file = path.join(tempDir(), 'absent.db');
    expect(() => openDatabase(file, { mustExist: true })).toThrow(UserError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a file that is not a database', () => {
    const file = path.join(tempDir(), 'notes.db');
    fs.writeFileSync(file, 'these are not the pages you are looking for'.repeat(20));
    expect(() => openDatabase(file)).toThrow(/is not a database/);
  });
});

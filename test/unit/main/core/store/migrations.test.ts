import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION, userVersion, type Migration } from '#core/store/migrations';
import { openDatabase } from '#core/store/open';
import { UserError } from '#core/errors';
import { tempDir } from './temp-home';

function fresh(): Database.Database {
  return new Database(path.join(tempDir(), 'test.db'));
}

function schema(db: Database.Database): string[] {
  return db
    .prepare<[], { sql: string }>('SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name')
    .all()
    .map((r) => r.sql);
}

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '%fts_%' ORDER BY name")
    .all()
    .map((r) => r.name);
}

// What each version adds, so every migration is checked on its own.
const ADDS: Record<number, string[]> = {
  1: ['dataset_images', 'datasets'],
  2: ['checkpoints', 'runs', 'sample_sheets'],
  3: ['presets', 'prompts'],
  4: ['generation_tags', 'generations', 'tags'],
  5: ['captions_fts', 'generations_fts', 'prompts_fts'],
  6: ['export_files', 'exports'],
  7: ['not_duplicates'],
};

describe('migrations', () => {
  it('are numbered 1..N in order, one per schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(Object.keys(ADDS).map(Number)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))('migration %i (%s) adds its tables and sets user_version', (version) => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, version - 1));
    const before = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((r) => r.name),
    );
    expect(migrate(db, MIGRATIONS.slice(0, version))).toBe(version);
    const after = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .all()
      .map((r) => r.name);
    const added = after.filter((n) => !before.has(n) && !/_fts_/.test(n)).sort();
    expect(added).toEqual(ADDS[version]);
    expect(userVersion(db)).toBe(version);
    db.close();
  });

  it('the search migration indexes rows written before it', () => {
    const db = fresh();
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.exec(`INSERT INTO runs (id, model, config, status, created_at, updated_at) VALUES (1, 'gan', '{}', 'completed', 0, 0);
      INSERT INTO generations (path, prompt, negative, seed, run_id, backend, params, created_at)
      VALUES ('images/a.png', 'a red fox', '', 1, 1, 'cpu', '{}', 0)`);
    migrate(db);
    expect(db.prepare("SELECT rowid FROM generations_fts WHERE generations_fts MATCH 'fox'").all()).toHaveLength(1);
    db.close();
  });

  it('the trash migration keeps every generation written before it, none trashed', () => {
    const db = fresh();
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 6));
    db.exec(`INSERT INTO runs (id, model, config, status, created_at, updated_at) VALUES (1, 'gan', '{}', 'completed', 0, 0);
      INSERT INTO generations (path, prompt, negative, seed, run_id, backend, params, created_at)
      VALUES ('images/a.png', 'a red fox', '', 1, 1, 'cpu', '{}', 0)`);
    migrate(db);
    expect(db.prepare('SELECT path, trashed_at AS trashedAt FROM generations').all()).toEqual([{ path: 'images/a.png', trashedAt: null }]);
    db.close();
  });

  it('running them again does nothing', () => {
    const db = fresh();
    migrate(db);
    const before = schema(db);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(schema(db)).toEqual(before);
    db.close();
  });

  it.each([
    [
      'throws after changing the schema',
      (db: Database.Database) => {
        db.exec('CREATE TABLE half (a)');
        throw new Error('boom');
      },
    ],
    [
      'has a failing statement after a good one',
      (db: Database.Database) => db.exec('ALTER TABLE runs ADD COLUMN x TEXT; CREATE TABLE runs (a)'),
    ],
  ])('a migration that %s leaves user_version and schema unchanged', (_, up) => {
    const db = fresh();
    migrate(db);
    const before = schema(db);
    const broken: Migration = { version: SCHEMA_VERSION + 1, name: 'broken', up };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(schema(db)).toEqual(before);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('a newer database is refused with a clear UserError and left untouched', () => {
    const file = path.join(tempDir(), 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/newer Homegrown.*Update Homegrown/);
    const after = new Database(file, { readonly: true });
    expect(userVersion(after)).toBe(SCHEMA_VERSION + 1);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(tables(after)).toEqual([]);
    after.close();
  });
});

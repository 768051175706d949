// The schema, one migration per version. Each runs inside one IMMEDIATE transaction that also sets
// PRAGMA user_version, so a failure leaves both schema and version as they were, and two processes
// opening a fresh database at once cannot both apply the same step.
import type { Database } from 'better-sqlite3';
import { UserError } from '../errors';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

// Timestamps are milliseconds since the epoch; JSON columns are checked with json_valid.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets',
    up(db) {
      db.exec(`
        CREATE TABLE datasets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          root TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE dataset_images (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          path TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          size INTEGER NOT NULL CHECK (size >= 0),
          caption TEXT,
          caption_source TEXT CHECK (caption_source IN ('sidecar', 'folder', 'filename', 'manual')),
          UNIQUE (dataset_id, path)
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'runs, checkpoints and sample sheets',
    up(db) {
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
          model TEXT NOT NULL,
          config TEXT NOT NULL CHECK (json_valid(config)),
          status TEXT NOT NULL
            CHECK (status IN ('pending', 'running', 'stopped', 'interrupted', 'completed', 'failed')),
          backend TEXT,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          finished_at INTEGER,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX runs_dataset ON runs(dataset_id);
        CREATE TABLE checkpoints (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          path TEXT NOT NULL,
          manifest_hash TEXT NOT NULL,
          metrics TEXT NOT NULL CHECK (json_valid(metrics)),
          created_at INTEGER NOT NULL,
          UNIQUE (run_id, step)
        ) STRICT;
        CREATE TABLE sample_sheets (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          path TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          UNIQUE (run_id, step)
        ) STRICT;
      `);
    },
  },
  {
    version: 3,
    name: 'prompts and presets',
    up(db) {
      db.exec(`
        CREATE TABLE prompts (
          id INTEGER PRIMARY KEY,
          prompt TEXT NOT NULL,
          negative TEXT NOT NULL,
          run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
          first_used_at INTEGER NOT NULL,
          last_used_at INTEGER NOT NULL,
          use_count INTEGER NOT NULL CHECK (use_count > 0),
          UNIQUE (prompt, negative)
        ) STRICT;
        CREATE INDEX prompts_recent ON prompts(last_used_at, id);
        CREATE INDEX prompts_run ON prompts(run_id);
        CREATE TABLE presets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          positive TEXT NOT NULL,
          negative TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 4,
    name: 'generations and tags',
    up(db) {
      // Search pages are in id order (see generations.ts); an index on a column also orders by id.
      db.exec(`
        CREATE TABLE generations (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          prompt TEXT NOT NULL,
          negative TEXT NOT NULL,
          seed INTEGER NOT NULL,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          checkpoint_id INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
          backend TEXT NOT NULL,
          params TEXT NOT NULL CHECK (json_valid(params)),
          rating INTEGER CHECK (rating BETWEEN 1 AND 5),
          favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX generations_created ON generations(created_at);
        CREATE INDEX generations_run ON generations(run_id);
        CREATE INDEX generations_checkpoint ON generations(checkpoint_id);
        CREATE INDEX generations_rating ON generations(rating);
        CREATE INDEX generations_favourite ON generations(favourite);
        CREATE TABLE tags (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        ) STRICT;
        CREATE TABLE generation_tags (
          generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
          tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
          PRIMARY KEY (generation_id, tag_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX generation_tags_tag ON generation_tags(tag_id, generation_id);
      `);
    },
  },
  {
    version: 5,
    name: 'full-text search over prompts and captions',
    up(db) {
      // External-content FTS5 tables kept in step by triggers; 'rebuild' indexes rows that already exist.
      db.exec(`
        ${ftsOver('generations_fts', 'generations', 'prompt')}
        ${ftsOver('prompts_fts', 'prompts', 'prompt')}
        ${ftsOver('captions_fts', 'dataset_images', 'caption')}
      `);
    },
  },
  {
    version: 6,
    name: 'exports and their lineage',
    up(db) {
      // One row per export (folder, zip or sheet) with its options; one per file written, naming the
      // generation it came from (null for image files given by path, or once that generation is deleted).
      db.exec(`
        CREATE TABLE exports (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('folder', 'zip', 'sheet', 'tile')),
          target TEXT NOT NULL,
          options TEXT NOT NULL CHECK (json_valid(options)),
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE export_files (
          export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
          file TEXT NOT NULL,
          generation_id INTEGER REFERENCES generations(id) ON DELETE SET NULL,
          source_path TEXT,
          PRIMARY KEY (export_id, file)
        ) STRICT;
        CREATE INDEX export_files_generation ON export_files(generation_id);
      `);
    },
  },
  {
    version: 7,
    name: 'the gallery trash and near-duplicate groups dismissed',
    up(db) {
      // A trashed generation keeps its row and file until the trash is emptied, so a delete can be
      // undone. A dismissed group is remembered by its paths in the dataset folder (sorted, JSON).
      db.exec(`
        ALTER TABLE generations ADD COLUMN trashed_at INTEGER;
        CREATE INDEX generations_trashed ON generations(trashed_at) WHERE trashed_at IS NOT NULL;
        CREATE TABLE not_duplicates (
          dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          paths TEXT NOT NULL CHECK (json_valid(paths)),
          created_at INTEGER NOT NULL,
          PRIMARY KEY (dataset_id, paths)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function ftsOver(fts: string, table: string, column: string): string {
  return `
    CREATE VIRTUAL TABLE ${fts} USING fts5(
      ${column}, content='${table}', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER ${fts}_insert AFTER INSERT ON ${table} BEGIN
      INSERT INTO ${fts}(rowid, ${column}) VALUES (new.id, new.${column});
    END;
    CREATE TRIGGER ${fts}_delete AFTER DELETE ON ${table} BEGIN
      INSERT INTO ${fts}(${fts}, rowid, ${column}) VALUES ('delete', old.id, old.${column});
    END;
    CREATE TRIGGER ${fts}_update AFTER UPDATE OF ${column} ON ${table} BEGIN
      INSERT INTO ${fts}(${fts}, rowid, ${column}) VALUES ('delete', old.id, old.${column});
      INSERT INTO ${fts}(rowid, ${column}) VALUES (new.id, new.${column});
    END;
    INSERT INTO ${fts}(${fts}) VALUES ('rebuild');
  `;
}

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function refuseNewer(db: Database, latest = SCHEMA_VERSION): void {
  const current = userVersion(db);
  if (current > latest) {
    throw new UserError(
      `${db.name} was written by a newer Homegrown (schema version ${current}; this one knows up to ${latest}). ` +
        'Update Homegrown to open it.',
    );
  }
}

/** Applies the migrations this database has not seen yet; returns the resulting schema version. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  refuseNewer(db, migrations.length);
  const step = db.transaction((m: Migration) => {
    // Re-read inside the write lock: another process may have applied this step meanwhile.
    if (userVersion(db) >= m.version) return;
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  });
  for (const m of migrations.slice(userVersion(db))) step.immediate(m);
  return userVersion(db);
}

// `homegrown db check`: is the file sound, do the rows agree with each other, is every file a row
// points at really there, and which files of ours does no row account for. Files are written before
// their rows (a row never points at nothing), so a crash in between leaves an orphan: a generated
// image with no row, a temporary file, or the folder of a run whose rows were already deleted. Orphans
// are harmless (nothing shows them), and `--fix` adopts the images that carry their recipe and
// removes the rest.
import fs from 'node:fs';
import path from 'node:path';
import { readRecipe } from '../media/png-meta';
import type { Recipe } from '#shared/recipe';
import type { AppFiles } from './files';
import type { Generations } from './generations';
import type { Db } from './open';
import type { Runs } from './runs';
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
  /** Files under images/ and folders under runs/ that no row accounts for; harmless, so `ok` ignores them. */
  orphans: string[];
}

export interface FixReport {
  /** Orphan images that carried a recipe naming a known checkpoint: now gallery rows. */
  adopted: string[];
  removed: string[];
  /** Checkpoint rows whose folders were gone (pruned by older versions, or deleted by hand). */
  forgottenCheckpoints: number;
}

const FTS_TABLES = ['generations_fts', 'prompts_fts', 'captions_fts'];
// A file younger than this may be one the app is writing right now, its row a moment away.
const SETTLED_MS = 60_000;

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
  return {
    ok,
    integrity,
    foreignKeyViolations,
    searchIndexProblems,
    referencedFiles: paths.length,
    missingFiles,
    orphans: findOrphans(db, files),
  };
}

/** Adopts or removes every orphan and forgets checkpoint rows whose folders are gone. */
export async function fixStore(db: Db, files: AppFiles, store: { runs: Runs; generations: Generations }): Promise<FixReport> {
  const report: FixReport = { adopted: [], removed: [], forgottenCheckpoints: 0 };
  for (const { id } of db.prepare<[], { id: number }>('SELECT id FROM runs').all()) {
    report.forgottenCheckpoints += store.runs.forgetPrunedCheckpoints(id);
  }
  const byHash = db.prepare<[string], { id: number; runId: number }>(
    'SELECT id, run_id AS runId FROM checkpoints WHERE manifest_hash = ? ORDER BY id DESC LIMIT 1',
  );
  const roots = db
    .prepare<[], { root: string }>('SELECT root FROM datasets')
    .all()
    .map((r) => r.root);
  for (const orphan of findOrphans(db, files)) {
    const recipe = orphan.startsWith('images/') ? recipeOf(files.resolve(orphan)) : undefined;
    const checkpoint = recipe && byHash.get(recipe.checkpoint);
    if (recipe && checkpoint) {
      const { prompt, negative, seed, backend, checkpoint: hash, ...rest } = recipe;
      store.generations.adopt(orphan, {
        prompt,
        negative,
        seed,
        backend,
        runId: checkpoint.runId,
        checkpointId: checkpoint.id,
        params: { ...rest, checkpoint: hash },
        now: fs.statSync(files.resolve(orphan)).mtimeMs,
      });
      report.adopted.push(orphan);
    } else {
      await files.remove([orphan], roots);
      report.removed.push(orphan);
    }
  }
  return report;
}

/** Files under images/ with no generation row, and runs/<id> folders with no run row, once settled. */
function findOrphans(db: Db, files: AppFiles): string[] {
  const settled = Date.now() - SETTLED_MS;
  const known = new Set(
    db
      .prepare<[], { path: string }>('SELECT path FROM generations')
      .all()
      .map((r) => r.path),
  );
  const images = filesUnder(files.resolve('images'))
    .map((abs) => relativeTo(files.root, abs))
    .filter((rel) => !known.has(rel));
  const runIds = new Set(
    db
      .prepare<[], { id: number }>('SELECT id FROM runs')
      .all()
      .map((r) => r.id),
  );
  const runFolders = entries(files.resolve('runs'))
    .filter((d) => !(/^[1-9][0-9]*$/u.test(d.name) && d.isDirectory() && runIds.has(Number(d.name))))
    .map((d) => `runs/${d.name}`);
  return [...images, ...runFolders].filter((rel) => modifiedAt(files.resolve(rel)) < settled).sort();
}

function filesUnder(dir: string): string[] {
  return entries(dir).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function modifiedAt(file: string): number {
  try {
    return fs.lstatSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function relativeTo(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** The recipe a generated PNG carries, when it is complete and has one with the fields a row needs. */
function recipeOf(file: string): Recipe | undefined {
  let recipe: Partial<Recipe> | undefined;
  try {
    recipe = readRecipe(fs.readFileSync(file)).recipe;
  } catch {
    return undefined;
  }
  const complete =
    typeof recipe?.prompt === 'string' &&
    typeof recipe.negative === 'string' &&
    Number.isSafeInteger(recipe.seed) &&
    typeof recipe.backend === 'string' &&
    typeof recipe.checkpoint === 'string';
  return complete ? (recipe as Recipe) : undefined;
}

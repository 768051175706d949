// The Store: one database connection and the app data folder, with a module per table group, for the
// service layer. Everything is synchronous except what touches image files.
import { AppFiles, resolveHome } from './files';
import { openDatabase, type Db } from './open';
import { Datasets } from './datasets';
import { Runs } from './runs';
import { Prompts } from './prompts';
import { Presets } from './presets';
import { Generations } from './generations';
import { Exports } from './exports';
import { backupDatabase, type BackupResult } from './backup';
import { checkStore, fixStore, type CheckReport, type FixReport } from './check';

export interface StoreOptions {
  /** App data folder; defaults to HOMEGROWN_HOME or the per-OS location. */
  home?: string;
  /** Refuse instead of creating a new, empty store. */
  mustExist?: boolean;
}

export class Store {
  readonly datasets: Datasets;
  readonly runs: Runs;
  readonly prompts: Prompts;
  readonly presets: Presets;
  readonly generations: Generations;
  readonly exports: Exports;

  private constructor(
    readonly db: Db,
    readonly files: AppFiles,
  ) {
    this.datasets = new Datasets(db);
    this.runs = new Runs(db, files);
    this.prompts = new Prompts(db);
    this.presets = new Presets(db);
    this.generations = new Generations(db, files);
    this.exports = new Exports(db);
  }

  /** Opens (creating if needed) the database and folders, migrating the schema to the current version. */
  static open(options: StoreOptions = {}): Store {
    const files = new AppFiles(resolveHome(options.home));
    if (!options.mustExist) files.ensureLayout();
    const db = openDatabase(files.databasePath, { mustExist: options.mustExist });
    return new Store(db, files);
  }

  backup(destination: string): Promise<BackupResult> {
    return backupDatabase(this.db, destination);
  }

  check(): CheckReport {
    return checkStore(this.db, this.files);
  }

  /** Adopts or removes orphan files and forgets checkpoint rows whose folders are gone. */
  fix(): Promise<FixReport> {
    return fixStore(this.db, this.files, this);
  }

  close(): void {
    this.db.close();
  }
}

export { AppFiles, resolveHome, DATABASE_FILE } from './files';
export { openDatabase, type Db, type OpenOptions } from './open';
export { migrate, userVersion, SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
export { backupDatabase, type BackupResult } from './backup';
export type { CheckReport, FixReport } from './check';
export type { Page } from './page';
export type { Dataset, DatasetImage, DatasetImageInput, CaptionSource } from './datasets';
export type { Run, RunStatus, Checkpoint, SampleSheet, JsonObject } from './runs';
export type { PromptUse, PromptQuery } from './prompts';
export type { Preset, PresetInput } from './presets';
export type { Generation, NewGeneration, GenerationQuery } from './generations';
export type { ExportRecord, ExportFile, ExportKind, NewExport } from './exports';
export type { Datasets, Runs, Prompts, Presets, Generations, Exports };

// Lineage of exported files: each export (a folder, zip, sprite sheet or tile set) with its options, and
// every file it wrote with the generation that file came from, so the gallery can show where a file
// came from and which exports used a generation.
import type { Db } from './open';
import type { JsonObject } from './runs';

export type ExportKind = 'folder' | 'zip' | 'sheet' | 'tile';

export interface ExportFile {
  /** Name inside the export's folder or zip, or the frame name in a sheet. */
  file: string;
  generationId: number | null;
  /** For images exported from a path rather than from the store. */
  sourcePath: string | null;
}

export interface ExportRecord {
  id: number;
  kind: ExportKind;
  /** Absolute path of the folder, zip or sheet written. */
  target: string;
  options: JsonObject;
  createdAt: number;
  files: ExportFile[];
}

export interface NewExport {
  kind: ExportKind;
  target: string;
  options: JsonObject;
  files: readonly ExportFile[];
  now?: number;
}

type Row = Omit<ExportRecord, 'options' | 'files'> & { options: string };

export class Exports {
  private readonly insert;
  private readonly insertFile;
  private readonly byId;
  private readonly filesOf;
  private readonly ofGeneration;
  private readonly addAll;

  constructor(db: Db) {
    this.insert = db.prepare<[string, string, string, number], { id: number }>(
      'INSERT INTO exports (kind, target, options, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    );
    this.insertFile = db.prepare<[number, string, number | null, string | null]>(
      'INSERT INTO export_files (export_id, file, generation_id, source_path) VALUES (?, ?, ?, ?)',
    );
    this.byId = db.prepare<[number], Row>('SELECT id, kind, target, options, created_at AS createdAt FROM exports WHERE id = ?');
    this.filesOf = db.prepare<[number], ExportFile>(
      `SELECT file, generation_id AS generationId, source_path AS sourcePath FROM export_files
       WHERE export_id = ? ORDER BY rowid`,
    );
    this.ofGeneration = db.prepare<[number], { id: number }>(
      'SELECT DISTINCT export_id AS id FROM export_files WHERE generation_id = ? ORDER BY export_id DESC',
    );
    this.addAll = db.transaction((e: NewExport) => {
      const { id } = this.insert.get(e.kind, e.target.normalize('NFC'), JSON.stringify(e.options), e.now ?? Date.now())!;
      for (const f of e.files) this.insertFile.run(id, f.file.normalize('NFC'), f.generationId, f.sourcePath?.normalize('NFC') ?? null);
      return id;
    });
  }

  /** Records an export whose files are already complete on disk; returns its id. */
  record(e: NewExport): number {
    return this.addAll(e);
  }

  get(id: number): ExportRecord | undefined {
    const row = this.byId.get(id);
    return row && { ...row, options: JSON.parse(row.options), files: this.filesOf.all(id) };
  }

  /** Every export that used this generation, newest first. */
  forGeneration(generationId: number): ExportRecord[] {
    return this.ofGeneration.all(generationId).map((r) => this.get(r.id)!);
  }
}

// Datasets (a folder of the user's, never written to) and the images the Dataset Doctor accepted in it.
import path from 'node:path';
import type { Db } from './open';
import { ftsQuery } from './fts';
import { pageSize } from './page';
import { storedPath } from '../files/paths';

export type CaptionSource = 'sidecar' | 'folder' | 'filename' | 'manual';

export interface Dataset {
  id: number;
  name: string;
  /** Absolute folder path, kept exactly as the OS spelled it so it still opens. */
  root: string;
  createdAt: number;
  imageCount: number;
}

export interface DatasetImageInput {
  /** Relative to the dataset root, in the OS's own separators; stored NFC with '/'. */
  path: string;
  contentHash: string;
  size: number;
  caption: string | null;
  captionSource: CaptionSource | null;
}

export interface DatasetImage extends DatasetImageInput {
  id: number;
  datasetId: number;
}

const DATASET = `SELECT d.id, d.name, d.root, d.created_at AS createdAt,
  (SELECT count(*) FROM dataset_images i WHERE i.dataset_id = d.id) AS imageCount FROM datasets d`;
const IMAGE = `SELECT i.id, i.dataset_id AS datasetId, i.path, i.content_hash AS contentHash, i.size,
  i.caption, i.caption_source AS captionSource FROM dataset_images i`;

export class Datasets {
  private readonly insert;
  private readonly byId;
  private readonly all;
  private readonly deleteOne;
  private readonly upsertImage;
  private readonly pruneImages;
  private readonly imagesOf;
  private readonly updateCaption;
  private readonly matchCaptions;
  private readonly replaceImages;
  private readonly dismiss;
  private readonly dismissedOf;

  constructor(db: Db) {
    this.dismiss = db.prepare<[number, string, number]>(
      'INSERT OR IGNORE INTO not_duplicates (dataset_id, paths, created_at) VALUES (?, ?, ?)',
    );
    this.dismissedOf = db.prepare<[number], { paths: string }>('SELECT paths FROM not_duplicates WHERE dataset_id = ? ORDER BY paths');
    this.insert = db.prepare<[string, string, number], { id: number }>(
      `INSERT INTO datasets (name, root, created_at) VALUES (?, ?, ?)
       ON CONFLICT (root) DO UPDATE SET name = excluded.name RETURNING id`,
    );
    this.byId = db.prepare<[number], Dataset>(`${DATASET} WHERE d.id = ?`);
    this.all = db.prepare<[], Dataset>(`${DATASET} ORDER BY d.name, d.id`);
    this.deleteOne = db.prepare<[number]>('DELETE FROM datasets WHERE id = ?');
    this.upsertImage = db.prepare<[number, string, string, number, string | null, string | null]>(
      `INSERT INTO dataset_images (dataset_id, path, content_hash, size, caption, caption_source)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (dataset_id, path) DO UPDATE SET content_hash = excluded.content_hash,
         size = excluded.size, caption = excluded.caption, caption_source = excluded.caption_source`,
    );
    this.pruneImages = db.prepare<[number, string]>(
      'DELETE FROM dataset_images WHERE dataset_id = ? AND path NOT IN (SELECT value FROM json_each(?))',
    );
    this.imagesOf = db.prepare<[number], DatasetImage>(`${IMAGE} WHERE i.dataset_id = ? ORDER BY i.path`);
    this.updateCaption = db.prepare<[string | null, string | null, number]>(
      'UPDATE dataset_images SET caption = ?, caption_source = ? WHERE id = ?',
    );
    this.matchCaptions = db.prepare<{ match: string; datasetId: number | null; limit: number }, DatasetImage>(
      `${IMAGE} JOIN captions_fts f ON f.rowid = i.id
       WHERE captions_fts MATCH @match AND (@datasetId IS NULL OR i.dataset_id = @datasetId)
       ORDER BY f.rank LIMIT @limit`,
    );
    this.replaceImages = db.transaction((datasetId: number, images: readonly DatasetImageInput[]) => {
      const kept: string[] = [];
      for (const image of images) {
        const rel = storedPath(image.path);
        kept.push(rel);
        this.upsertImage.run(datasetId, rel, image.contentHash, image.size, image.caption, image.captionSource);
      }
      this.pruneImages.run(datasetId, JSON.stringify(kept));
    });
  }

  /** Registers a folder; adding the same folder again returns the same dataset (renamed if asked). */
  add(input: { name: string; root: string; now?: number }): Dataset {
    const { id } = this.insert.get(input.name, path.resolve(input.root), input.now ?? Date.now())!;
    return this.get(id)!;
  }

  get(id: number): Dataset | undefined {
    return this.byId.get(id);
  }

  list(): Dataset[] {
    return this.all.all();
  }

  /** Forgets a dataset and its image rows; the folder itself is the user's and is left alone. */
  remove(id: number): void {
    this.deleteOne.run(id);
  }

  /** Makes the stored image list equal `images` (the Doctor's accepted list) in one transaction. */
  /** Remembers a group of images (paths in the folder) the user says are not duplicates. */
  dismissDuplicates(datasetId: number, paths: readonly string[], now = Date.now()): void {
    this.dismiss.run(datasetId, JSON.stringify([...new Set(paths.map((p) => storedPath(p)))].sort()), now);
  }

  /** The groups dismissed in a dataset, each as sorted stored paths. */
  dismissedDuplicates(datasetId: number): string[][] {
    return this.dismissedOf.all(datasetId).map((r) => JSON.parse(r.paths) as string[]);
  }

  syncImages(datasetId: number, images: readonly DatasetImageInput[]): void {
    this.replaceImages(datasetId, images);
  }

  images(datasetId: number): DatasetImage[] {
    return this.imagesOf.all(datasetId);
  }

  setCaption(imageId: number, caption: string | null, source: CaptionSource | null = 'manual'): void {
    this.updateCaption.run(caption, caption === null ? null : source, imageId);
  }

  /** Full-text search over captions, best match first. */
  searchCaptions(text: string, options: { datasetId?: number; limit?: number } = {}): DatasetImage[] {
    const match = ftsQuery(text);
    if (match === null) return [];
    return this.matchCaptions.all({ match, datasetId: options.datasetId ?? null, limit: pageSize(options.limit) });
  }
}

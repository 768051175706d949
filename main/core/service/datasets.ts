// Datasets: open a folder (register it and run the Dataset Doctor), captions, list, forget.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Dataset as ApiDataset, DatasetImage, DoctorReport } from '#shared/api/datasets';
import type { EventHub } from './events';
import type { Store } from '../store';
import type { DatasetImage as StoredImage } from '../store/datasets';
import { storedPath, isWithin } from '../files/paths';
import { captionKey, extensionOf, SIDECAR_EXTENSIONS } from '../dataset/captions';
import { DEFAULT_MAX_PIXELS, readHeader, readImageFile } from '../dataset/decode';
import { examineFolder, type AcceptedImage } from '../dataset/doctor';
import { SET_ASIDE_FOLDER } from '../dataset/scan';
import { summarise } from '../dataset/summary';
import { UserError } from '../errors';
import { writeInside } from '../files/write-inside';
import { mustExist } from './errors';
import { userPath } from './user-path';
import type { ParsedInput } from '#shared/api/index';

const PROGRESS_INTERVAL_MS = 200;

export class DatasetService {
  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
  ) {}

  list(): ApiDataset[] {
    return this.store.datasets.list();
  }

  async open(input: ParsedInput<'datasets.open'>): Promise<DoctorReport> {
    const root = userPath(input.folder);
    const stat = await fs.stat(root).catch(() => null);
    if (!stat) throw new UserError(`${root} does not exist`);
    if (!stat.isDirectory()) throw new UserError(`${root} is not a folder; choose the folder that holds your images`);
    const hashes = new Map<string, string>();
    let last = 0;
    const report = await examineFolder(root, {
      onAccepted: async (image, bytes) => void hashes.set(image.path, createHash('sha256').update(bytes).digest('hex')),
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
        last = now;
        this.hub.emit({ type: 'dataset.progress', folder: root, done, total });
      },
    });
    const accepted = report.files.filter((f): f is AcceptedImage => f.status === 'accepted');
    if (accepted.length === 0) {
      const skipped = report.summary.skipped;
      throw new UserError(
        `There are no usable images in ${root}${skipped ? ` (${skipped} files skipped: ${report.summary.fixes.map((f) => f.problem).join(', ')})` : ''}`,
      );
    }
    const dataset = this.store.datasets.add({ name: input.name ?? path.basename(root), root });
    // A caption typed in the app (not written to a sidecar) survives re-opening the folder.
    const manual = new Map(
      this.store.datasets
        .images(dataset.id)
        .filter((i) => i.captionSource === 'manual')
        .map((i) => [i.path, i.caption]),
    );
    this.store.datasets.syncImages(
      dataset.id,
      accepted.map((a) => {
        const typed = manual.get(storedPath(a.path, '/'));
        return typed === undefined
          ? { path: a.path, contentHash: hashes.get(a.path) ?? '', size: a.bytes, caption: a.caption, captionSource: a.captionSource }
          : { path: a.path, contentHash: hashes.get(a.path) ?? '', size: a.bytes, caption: typed, captionSource: 'manual' as const };
      }),
    );
    const rows = new Map(this.store.datasets.images(dataset.id).map((i) => [i.path, i]));
    const rowOf = (p: string) => rows.get(storedPath(p, '/'))!;
    const dismissed = this.store.datasets.dismissedDuplicates(dataset.id).map((g) => new Set(g));
    const groups = report.nearDuplicates.filter((g) => !dismissed.some((d) => g.every((p) => d.has(storedPath(p, '/')))));
    return {
      dataset: mustExist(this.store.datasets.get(dataset.id), `dataset ${dataset.id}`),
      images: accepted.map((a) => imageView(rowOf(a.path), a)),
      skipped: report.files.flatMap((f) => (f.status === 'skipped' ? [{ path: f.path, code: f.code, reason: f.reason }] : [])),
      captionFiles: report.files.flatMap((f) => (f.status === 'caption' ? [{ path: f.path, for: f.for }] : [])),
      nearDuplicates: groups.map((group) => group.map((p) => rowOf(p).id)),
      sequences: report.sequences.map((q) => ({ ...q, frames: q.frames.map((p) => rowOf(p).id) })),
      vocabulary: report.vocabulary,
      // The page shows near-duplicates as groups to decide on, so the summary leaves them to it.
      summary: summarise(report.files, [], report.sequences, 'app'),
    };
  }

  /** Sets a caption; writes the sidecar only when asked, and only inside the dataset folder. */
  async setCaption(input: ParsedInput<'datasets.setCaption'>): Promise<{ image: DatasetImage; sidecarPath: string | null }> {
    const row = mustExist(this.imageRow(input.imageId), `dataset image ${input.imageId}`);
    const dataset = mustExist(this.store.datasets.get(row.datasetId), `dataset ${row.datasetId}`);
    const caption = input.caption.normalize('NFC').trim();
    const file = await this.fileOf(dataset.root, row.path);
    const header = await readHeader(await readImageFile(file), DEFAULT_MAX_PIXELS);
    let sidecarPath: string | null = null;
    if (input.writeSidecar) {
      const key = captionKey(file);
      const existing = await fs.lstat(`${key}.caption`).catch(() => null);
      const txt = await fs.lstat(`${key}.txt`).catch(() => null);
      sidecarPath = existing && !txt ? `${key}.caption` : `${key}.txt`;
      await writeInside(dataset.root, sidecarPath, `${caption}\n`);
    }
    this.store.datasets.setCaption(row.id, caption, input.writeSidecar ? 'sidecar' : 'manual');
    const updated = this.imageRow(row.id)!;
    return { image: imageView(updated, { ...header, caption }), sidecarPath };
  }

  /**
   * Moves images (and their caption files) into the dataset's .set-aside folder under the same
   * relative path; a name already taken there gets a number. Only images the Doctor accepted are moved.
   */
  async setAside(input: ParsedInput<'datasets.setAside'>): Promise<{ folder: string; moved: { from: string; to: string }[] }> {
    const dataset = mustExist(this.store.datasets.get(input.datasetId), `dataset ${input.datasetId}`);
    const known = new Set(this.store.datasets.images(dataset.id).map((i) => i.path));
    const paths = [...new Set(input.paths.map((p) => storedPath(p, '/')))];
    const unknown = paths.filter((p) => !known.has(p));
    if (unknown.length) throw new UserError(`${unknown[0]} is not an image of ${dataset.name}`);
    const folder = path.join(dataset.root, SET_ASIDE_FOLDER);
    const moved: { from: string; to: string }[] = [];
    for (const rel of paths) {
      const file = await this.fileOf(dataset.root, rel);
      const sidecars: string[] = [];
      for (const ext of SIDECAR_EXTENSIONS) {
        const sidecar = `${captionKey(rel)}${ext}`;
        if ((await fs.lstat(path.join(dataset.root, ...sidecar.split('/'))).catch(() => null))?.isFile()) sidecars.push(sidecar);
      }
      const to = await freeName(folder, rel);
      await fs.mkdir(path.dirname(path.join(folder, ...to.split('/'))), { recursive: true });
      await fs.rename(file, path.join(folder, ...to.split('/')));
      moved.push({ from: rel, to: `${SET_ASIDE_FOLDER}/${to}` });
      for (const sidecar of sidecars) {
        const target = path.join(folder, ...`${captionKey(to)}${extensionOf(sidecar)}`.split('/'));
        // Never over another file: a caption left behind is only reported as captioning nothing.
        if (!(await fs.lstat(target).catch(() => null))) await fs.rename(await this.fileOf(dataset.root, sidecar), target);
      }
    }
    return { folder, moved };
  }

  notDuplicates(input: ParsedInput<'datasets.notDuplicates'>): { ok: true } {
    mustExist(this.store.datasets.get(input.datasetId), `dataset ${input.datasetId}`);
    this.store.datasets.dismissDuplicates(input.datasetId, input.paths);
    return { ok: true };
  }

  remove(id: number): { ok: true } {
    mustExist(this.store.datasets.get(id), `dataset ${id}`);
    this.store.datasets.remove(id);
    return { ok: true };
  }

  imageRow(id: number): StoredImage | undefined {
    return this.store.db
      .prepare<[number], StoredImage>(
        `SELECT id, dataset_id AS datasetId, path, content_hash AS contentHash, size, caption, caption_source AS captionSource
         FROM dataset_images WHERE id = ?`,
      )
      .get(id);
  }

  /** The absolute file of a dataset image, refusing anything that resolves outside the dataset folder. */
  async fileOf(root: string, relative: string): Promise<string> {
    const file = path.join(root, ...storedPath(relative, '/').split('/'));
    await this.assertInside(root, file);
    return file;
  }

  private async assertInside(root: string, file: string): Promise<void> {
    const realRoot = await fs.realpath(root).catch(() => null);
    if (!realRoot) throw new UserError(`The dataset folder ${root} is gone`);
    const real = await fs.realpath(file).catch(() => path.join(realRoot, path.relative(root, file)));
    const realParent = await fs.realpath(path.dirname(file)).catch(() => null);
    if (!isWithin(realRoot, real) || !realParent || !isWithin(realRoot, realParent)) {
      throw new UserError(`Refusing ${file}: it is outside the dataset folder ${root}`);
    }
  }
}

function imageView(
  row: StoredImage,
  header: Pick<AcceptedImage, 'width' | 'height' | 'format' | 'mode'> & { caption: string },
): DatasetImage {
  return {
    imageId: row.id,
    path: row.path,
    width: header.width,
    height: header.height,
    format: header.format,
    mode: header.mode,
    caption: row.caption ?? header.caption,
    captionSource: row.captionSource ?? 'filename',
  };
}

/** `rel` inside `folder`, or "name (2).png", "name (3).png" … when that is taken. */
async function freeName(folder: string, rel: string): Promise<string> {
  const ext = path.posix.extname(rel);
  const stem = rel.slice(0, rel.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? rel : `${stem} (${n})${ext}`;
    if (!(await fs.lstat(path.join(folder, ...candidate.split('/'))).catch(() => null))) return candidate;
  }
}

// Datasets: a folder of the user's, examined by the Dataset Doctor.
import { z } from 'zod';
import { PlainText } from './prompt-text';
import { Id } from './common';

export const CaptionSource = z.enum(['sidecar', 'folder', 'filename', 'manual']);

export const Dataset = z.object({
  id: Id,
  name: z.string(),
  /** Absolute folder path. */
  root: z.string(),
  createdAt: z.number(),
  imageCount: z.int(),
});

/** An accepted image; `imageId` is its image id (kind 'dataset', served as a thumbnail). */
export const DatasetImage = z.object({
  imageId: Id,
  /** Relative to the dataset root, '/'-separated. */
  path: z.string(),
  width: z.int(),
  height: z.int(),
  format: z.string(),
  mode: z.string(),
  caption: z.string(),
  captionSource: CaptionSource,
});

export const SkippedFile = z.object({ path: z.string(), code: z.string(), reason: z.string() });

export const DoctorFinding = z.object({
  problem: z.string(),
  count: z.int(),
  action: z.string(),
  kind: z.enum(['problem', 'fixable', 'note']),
  examples: z.array(z.string()),
});

export const DoctorReport = z.object({
  dataset: Dataset,
  images: z.array(DatasetImage),
  skipped: z.array(SkippedFile),
  /** Sidecar caption files and the images each one captions. */
  captionFiles: z.array(z.object({ path: z.string(), for: z.array(z.string()) })),
  /** Groups of near-identical images, as image ids (groups dismissed with datasets.notDuplicates left out). */
  nearDuplicates: z.array(z.array(Id)),
  /** Folders of numbered frames (animation sequences), frames as image ids in play order. */
  sequences: z
    .array(z.object({ folder: z.string(), frames: z.array(Id), sameSize: z.boolean(), sizes: z.array(z.string()), loops: z.boolean() }))
    .default([]),
  /** Caption words with the number of images that have them, most frequent first. */
  vocabulary: z.array(z.object({ token: z.string(), count: z.int() })),
  summary: z.object({
    found: z.int(),
    accepted: z.int(),
    skipped: z.int(),
    captionFiles: z.int(),
    fixes: z.array(DoctorFinding),
  }),
});

export const datasetMethods = {
  'datasets.list': { input: z.strictObject({}), output: z.array(Dataset) },
  /**
   * Registers the folder (the same folder is the same dataset) and runs the Doctor; progress arrives as
   * `dataset.progress` events. A path that is not a folder, or a folder without images, is a `user` error.
   */
  'datasets.open': {
    input: z.strictObject({ folder: z.string().min(1), name: z.string().min(1).optional() }),
    output: DoctorReport,
  },
  /**
   * Sets an image's caption. The folder is only written to when `writeSidecar` is true (then
   * `<image name>.txt`, or the existing sidecar, holds the caption; training reads sidecars, so only a
   * written caption changes what a new run learns).
   */
  'datasets.setCaption': {
    input: z.strictObject({ imageId: Id, caption: PlainText, writeSidecar: z.boolean() }),
    output: z.object({ image: DatasetImage, sidecarPath: z.string().nullable() }),
  },
  /** Forgets the dataset; the folder is the user's and is left alone. */
  'datasets.remove': { input: z.strictObject({ id: Id }), output: z.object({ ok: z.literal(true) }) },
  /**
   * Moves images of the dataset (paths in the folder), with their caption files, into the folder's
   * `.set-aside/` folder, which the Doctor and training skip: nothing is deleted, and moving a file back
   * uses it again. Open the folder again to see the report without them.
   */
  'datasets.setAside': {
    input: z.strictObject({ datasetId: Id, paths: z.array(z.string().min(1)).min(1).max(10_000) }),
    output: z.object({ folder: z.string(), moved: z.array(z.object({ from: z.string(), to: z.string() })) }),
  },
  /** Remembers a near-duplicate group as "not duplicates": the Doctor stops listing it (or any part of it). */
  'datasets.notDuplicates': {
    input: z.strictObject({ datasetId: Id, paths: z.array(z.string().min(1)).min(2).max(10_000) }),
    output: z.object({ ok: z.literal(true) }),
  },
} as const;

export type Dataset = z.infer<typeof Dataset>;
export type DatasetImage = z.infer<typeof DatasetImage>;
export type DoctorReport = z.infer<typeof DoctorReport>;
export type SkippedFile = z.infer<typeof SkippedFile>;
export type CaptionSource = z.infer<typeof CaptionSource>;

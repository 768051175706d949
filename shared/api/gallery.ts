// The gallery: every generated image with its recipe, rating, favourite flag and tags.
import { z } from 'zod';
import { PlainText } from './prompt-text';
import { Id, Ok, PageQuery, pageOf } from './common';

/** A generated image (image kind 'generation', same id). */
export const Generation = z.object({
  id: Id,
  prompt: z.string(),
  negative: z.string(),
  seed: z.int(),
  runId: Id,
  checkpointId: Id.nullable(),
  backend: z.string(),
  /** Everything else that made it (model, size, step, checkpoint hash, presets used, grid cell …). */
  params: z.record(z.string(), z.unknown()),
  rating: z.int().min(1).max(5).nullable(),
  favourite: z.boolean(),
  tags: z.array(z.string()),
  createdAt: z.number(),
  /** When it was put in the trash; null when it is not there. */
  trashedAt: z.number().nullable(),
});

export const Recipe = z.object({
  prompt: z.string(),
  negative: z.string(),
  seed: z.int(),
  model: z.enum(['gan', 'vae', 'ae', 'flow']),
  run: z.string(),
  checkpoint: z.string(),
  step: z.int(),
  size: z.int(),
  backend: z.string(),
  adapter: z.string().optional(),
  appVersion: z.string(),
});

export const GenerationDetail = z.object({
  generation: Generation,
  /** The recipe embedded in the PNG (every field), null if the file no longer carries one. */
  recipe: Recipe.nullable(),
  /** The A1111 `parameters` text, as PNG-info readers show it. */
  parameters: z.string().nullable(),
  /** Absolute path of the image file. */
  file: z.string(),
  fileExists: z.boolean(),
  checkpointStep: z.int().nullable(),
  /** Where this image went: every export that used it, newest first (lineage). */
  exports: z.array(
    z.object({ id: Id, kind: z.enum(['folder', 'zip', 'sheet', 'tile']), target: z.string(), file: z.string(), createdAt: z.number() }),
  ),
});

/** The training images nearest to a generation (16 px thumbnails, Euclidean) and whether it nearly copies one. */
export const Similar = z.object({
  /** Nearest first; `imageId` names the dataset image (kind 'dataset') when the folder is one of the app's datasets. */
  neighbours: z.array(z.object({ path: z.string(), distance: z.number(), imageId: Id.nullable() })),
  /** Distances under this make a near copy: the 5th percentile of the training images' own nearest-neighbour distances. */
  threshold: z.number().nullable(),
  /** The training image (path in its folder) this one nearly copies, or null. */
  nearCopyOf: z.string().nullable(),
});

export const GalleryQuery = z.strictObject({
  runId: Id.optional(),
  checkpointId: Id.optional(),
  /** Full-text: every word must appear in the prompt (prefix match); `-word` leaves such prompts out. */
  text: z.string().optional(),
  tag: z.string().optional(),
  minRating: z.int().min(1).max(5).optional(),
  favourite: z.boolean().optional(),
  /** true: the images in the trash; otherwise those are left out. */
  trashed: z.boolean().optional(),
  /** true: only sequences (walks, animations, in-betweens); false: only single images. */
  sequences: z.boolean().optional(),
  ...PageQuery,
});

/** One change made to every image of a selection. */
export const BulkChange = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tag'), add: z.array(PlainText).default([]), remove: z.array(z.string()).default([]) }),
  /** null clears the rating. */
  z.strictObject({ kind: z.literal('rate'), rating: z.int().min(1).max(5).nullable() }),
  z.strictObject({ kind: z.literal('favourite'), favourite: z.boolean() }),
  /** Into the trash: hidden from the gallery, files kept until the trash is emptied. */
  z.strictObject({ kind: z.literal('trash') }),
  /** Out of the trash, back into the gallery. */
  z.strictObject({ kind: z.literal('restore') }),
]);

const Selection = z.array(Id).min(1).max(100_000);

export const galleryMethods = {
  /** Newest first, one keyset page at a time. */
  'gallery.query': { input: GalleryQuery, output: pageOf(Generation) },
  'gallery.get': { input: z.strictObject({ id: Id }), output: GenerationDetail },
  /** null clears the rating. */
  'gallery.rate': { input: z.strictObject({ id: Id, rating: z.int().min(1).max(5).nullable() }), output: Generation },
  'gallery.favourite': { input: z.strictObject({ id: Id, favourite: z.boolean() }), output: Generation },
  'gallery.tag': {
    input: z.strictObject({ id: Id, add: z.array(PlainText).default([]), remove: z.array(z.string()).default([]) }),
    output: Generation,
  },
  /** Every tag in use, most used first. */
  'gallery.tags': { input: z.strictObject({}), output: z.array(z.object({ name: z.string(), count: z.int() })) },
  /** Deletes the row and the file at once, bypassing the trash. */
  'gallery.delete': { input: z.strictObject({ id: Id }), output: Ok },
  /** The k training images of its run nearest to an image; needs the run's training folder. */
  'gallery.similar': { input: z.strictObject({ id: Id, k: z.int().min(1).max(32).default(8) }), output: Similar },
  /** Electron shows the file in the OS file manager; both modes return its path. */
  'gallery.reveal': { input: z.strictObject({ id: Id }), output: z.object({ file: z.string(), shown: z.boolean() }) },
  /**
   * One change to every image of a selection, in one transaction; `changed` counts the images it
   * changed, `items` are the selected images as they are now.
   */
  'gallery.bulk': {
    input: z.strictObject({ ids: Selection, change: BulkChange }),
    output: z.object({ changed: z.int(), trashCount: z.int(), items: z.array(Generation) }),
  },
  'gallery.trashCount': { input: z.strictObject({}), output: z.object({ count: z.int() }) },
  /** Deletes every image in the trash, rows and files: this cannot be undone. */
  'gallery.emptyTrash': { input: z.strictObject({}), output: z.object({ removed: z.int() }) },
  /** Takes images out of the trash: the ones named, or all of them. */
  'gallery.restore': { input: z.strictObject({ ids: Selection.optional() }), output: z.object({ restored: z.int() }) },
} as const;

export type Generation = z.infer<typeof Generation>;
export type GenerationDetail = z.infer<typeof GenerationDetail>;
export type GalleryQuery = z.infer<typeof GalleryQuery>;
export type Recipe = z.infer<typeof Recipe>;
export type Similar = z.infer<typeof Similar>;
export type BulkChange = z.output<typeof BulkChange>;

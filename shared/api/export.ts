// Export of generated images to a folder of the user's (optionally zipped), with their lineage.
import { z } from 'zod';
import { Id } from './common';

const hexColour = z.string().regex(/^#?([0-9a-f]{3}|[0-9a-f]{6})$/iu, 'a colour is #rrggbb');

/** Per-image operations, applied in this order: key-out, palette snapping, upscaling (as the CLI does). */
export const ImageOps = {
  /** Background made transparent by colour distance (colour default: the median of the border pixels). */
  keyOut: z
    .strictObject({
      colour: hexColour.optional(),
      tolerance: z.number().min(0).max(442).optional(),
      softness: z.number().min(0).max(442).optional(),
    })
    .optional(),
  /** Snap every pixel to a palette of `colors` colours taken from a run's training set (default: the first image's run). */
  palette: z.strictObject({ runId: Id.optional(), colors: z.int().min(2).max(256).default(16) }).optional(),
  /** Nearest-neighbour upscaling, last. */
  upscale: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]).optional(),
};

/**
 * Generations whose nearest training image is under the run's copy threshold (see gallery.similar):
 * 'flag' exports them named "near-copy_<name>" with `nearCopyOf` in the manifest, 'skip' leaves them out.
 */
const NearCopies = z.enum(['flag', 'skip']).default('flag');

/** Which images were near copies (flagged or skipped), and which could not be checked (training folder gone). */
const CopyReport = {
  copies: z.array(z.object({ id: Id, of: z.string() })),
  unchecked: z.array(Id),
};

export const exportMethods = {
  /**
   * Writes the images, re-encoded with their recipe, plus manifest.json/.csv into `folder`, or with
   * `zip` into one zip file: `folder` itself when it ends in .zip, else `homegrown-<time>.zip` inside
   * it. `template` names the files from {id} {run} {seed} {prompt} {negative} {step} {model} {rating}
   * {index} (default "{run}_{seed}_{prompt}"). A non-empty folder or an existing zip is refused
   * unless `overwrite`. The export and each file's source generation are recorded.
   */
  'export.images': {
    input: z.strictObject({
      generationIds: z.array(Id).min(1),
      folder: z.string().min(1),
      zip: z.boolean().default(false),
      template: z.string().optional(),
      format: z.enum(['png', 'webp', 'jpeg']).optional(),
      overwrite: z.boolean().default(false),
      nearCopies: NearCopies,
      ...ImageOps,
    }),
    output: z.object({
      /** Absolute paths of the images written (the zip file when `zip`). */
      files: z.array(z.string()),
      /** Images exported. */
      count: z.int(),
      /** The folder or zip written. */
      target: z.string(),
      ...CopyReport,
    }),
  },
  /**
   * Packs the images (after the image operations) into one sprite sheet PNG, `sheet` (a .png path),
   * with its atlas beside it as <name>.json: TexturePacker hash or array, maxrects packing or a fixed
   * grid (frames of one size). An existing sheet or atlas is refused unless `overwrite`. A frame cannot
   * be marked, so with near copies among the images `nearCopies: 'flag'` refuses and 'skip' leaves them out.
   */
  'export.sheet': {
    input: z.strictObject({
      generationIds: z.array(Id).min(1),
      sheet: z.string().min(1),
      mode: z.enum(['pack', 'grid']).default('pack'),
      atlas: z.enum(['hash', 'array']).default('hash'),
      padding: z.int().min(0).max(256).default(2),
      extrude: z.int().min(0).max(256).default(0),
      trim: z.boolean().default(false),
      pot: z.boolean().default(false),
      columns: z.int().min(1).optional(),
      /** Frame names in the atlas (default "{index}"). */
      template: z.string().optional(),
      overwrite: z.boolean().default(false),
      nearCopies: NearCopies,
      ...ImageOps,
    }),
    output: z.object({
      ...CopyReport,
      /** Absolute paths of the sheet PNG and its atlas JSON. */
      sheet: z.string(),
      atlas: z.string(),
      frames: z.array(z.string()),
      width: z.int(),
      height: z.int(),
    }),
  },
  /**
   * What an export's palette snapping and upscaling make of one generated image, without writing
   * anything: a PNG as a data URL, its size, and the palette's colours (none without `palette`).
   */
  'export.preview': {
    input: z.strictObject({ generationId: Id, palette: ImageOps.palette, upscale: ImageOps.upscale }),
    output: z.object({ image: z.string(), width: z.int(), height: z.int(), palette: z.array(z.string()) }),
  },
} as const;

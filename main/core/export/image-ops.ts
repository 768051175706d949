// The per-image operations an export can apply, in a fixed order: background key-out (RGB models),
// palette snapping, then nearest-neighbour upscaling (last, so pixels stay square).
import { z } from 'zod';
import { keyOut, type KeyOut } from './key-out';
import { paletteFromTrainingSet, parseColour, parsePalette, snapToPalette, upscaleNearest, type Rgb } from './pixel-art';
import type { RgbaImage } from './rgba';

const hexColour = z.string().regex(/^#?([0-9a-f]{3}|[0-9a-f]{6})$/iu, 'a colour is #rrggbb');

export const ImageOpsSchema = z
  .object({
    keyOut: z
      .object({
        colour: hexColour.optional(),
        tolerance: z.number().min(0).max(442).optional(),
        softness: z.number().min(0).max(442).optional(),
      })
      .strict()
      .optional(),
    /** Colours as #rrggbb, or a run folder / image folder whose training images give the palette. */
    palette: z
      .union([
        z.array(hexColour).min(2),
        z.object({ from: z.string().min(1), colors: z.number().int().min(2).max(256).default(16) }).strict(),
      ])
      .optional(),
    upscale: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]).optional(),
  })
  .strict();

export type ImageOpsInput = z.input<typeof ImageOpsSchema>;
export type ImageOpsRequest = z.output<typeof ImageOpsSchema>;

export interface ImageOps {
  keyOut?: Partial<KeyOut>;
  palette?: Rgb[];
  upscale?: number;
}

/** Resolves palettes taken from a training set once, before any image is touched. */
export async function resolveOps(r: ImageOpsRequest): Promise<ImageOps> {
  const palette =
    r.palette === undefined
      ? undefined
      : Array.isArray(r.palette)
        ? parsePalette(r.palette.join(','))
        : await paletteFromTrainingSet(r.palette.from, r.palette.colors);
  const key = r.keyOut && { ...r.keyOut, colour: r.keyOut.colour === undefined ? undefined : parseColour(r.keyOut.colour) };
  return { keyOut: key, palette, upscale: r.upscale };
}

export const hasOps = (o: ImageOps) => o.keyOut !== undefined || o.palette !== undefined || (o.upscale ?? 1) > 1;

/** The recipe an exported file carries: it says when the pixels were upscaled after drawing. */
export function exportedRecipe<R extends { upscale?: number }>(recipe: R | undefined, o: ImageOps): R | undefined {
  return recipe && (o.upscale ?? 1) > 1 ? { ...recipe, upscale: (recipe.upscale ?? 1) * o.upscale! } : recipe;
}

export function applyOps(img: RgbaImage, o: ImageOps): RgbaImage {
  let out = img;
  if (o.keyOut) out = keyOut(out, o.keyOut);
  if (o.palette) out = snapToPalette(out, o.palette);
  if ((o.upscale ?? 1) > 1) out = upscaleNearest(out, o.upscale!);
  return out;
}

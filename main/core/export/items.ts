// What an export starts from: one item per image, the file it is read from, its recipe and the values
// file-name templates use. The service gathers them (from the gallery or from files given by path);
// export only reads the files.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import type { NameFields } from './file-names';
import { readImageRecipe, type ExportedRecipe } from '../media/recipe-meta';

export interface ExportItem {
  /** The image file; read again when it is encoded. */
  file: string;
  /** Lineage: the generation this image is, or null for a file from outside the gallery. */
  generationId: number | null;
  /** The file as given, for images exported by path. */
  sourcePath: string | null;
  recipe?: ExportedRecipe;
  fields: Omit<NameFields, 'index'>;
  /** The training image this one nearly copies, when the near-copy check found one. */
  nearCopyOf?: string;
}

/** How to name an image in the one-line errors: a gallery image by its id, a file by its path. */
export interface ImageName {
  unreadable: string;
  notImage: string;
}

const byPath = (file: string): ImageName => ({
  unreadable: `Cannot read the image (${file})`,
  notImage: `${file} is not an image Homegrown can read (PNG, WebP or JPEG)`,
});

export async function readImage(file: string, name: ImageName = byPath(file)): Promise<Buffer> {
  try {
    return await fsp.readFile(file);
  } catch {
    throw new UserError(name.unreadable);
  }
}

/** The file's bytes and the recipe inside it (undefined when it has none). */
export async function readImageWithRecipe(file: string, name: ImageName = byPath(file)) {
  const bytes = await readImage(file, name);
  try {
    return { bytes, recipe: (await readImageRecipe(bytes)).recipe };
  } catch {
    throw new UserError(name.notImage);
  }
}

/**
 * An image file given by path. Its recipe names the generation it came from; `known` says whether
 * that generation still exists, as lineage may only point at one that does.
 */
export async function itemFromFile(file: string, known: (generationId: number) => boolean = () => false): Promise<ExportItem> {
  const { recipe: r } = await readImageWithRecipe(file);
  return {
    file: path.resolve(file),
    generationId: r?.generationId !== undefined && known(r.generationId) ? r.generationId : null,
    sourcePath: path.resolve(file),
    recipe: r,
    fields: {
      id: r?.generationId,
      run: r?.run,
      seed: r?.seed,
      prompt: r?.prompt,
      negative: r?.negative,
      step: r?.step,
      model: r?.model,
      source: path.parse(file).name,
    },
  };
}

/** The items left after the near-copy rule: 'skip' leaves near copies out, 'flag' keeps them. */
export function applyNearCopies(items: readonly ExportItem[], mode: 'flag' | 'skip') {
  const skipped = mode === 'skip' ? items.filter((it) => it.nearCopyOf !== undefined) : [];
  const kept = mode === 'skip' ? items.filter((it) => it.nearCopyOf === undefined) : [...items];
  if (items.length === 0) throw new UserError('Nothing to export: the selection is empty');
  if (kept.length === 0) throw new UserError('Every chosen image is a near copy of a training image, so nothing is left to export');
  return { kept, skipped };
}

/** How an item is named in messages: its gallery id, else its file. */
export const itemName = (it: ExportItem) => (it.generationId === null ? it.file : `Image ${it.generationId}`);

/** What an export wrote and from which images, for the service to record (the store's export rows). */
export interface ExportLineage {
  kind: 'folder' | 'zip' | 'sheet';
  /** Absolute path of the folder, zip or sheet. */
  target: string;
  options: Record<string, unknown>;
  files: { file: string; generationId: number | null; sourcePath: string | null }[];
}

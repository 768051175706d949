// Sprite-sheet export: the given images (after key-out, palette and upscaling) packed into one PNG
// with its atlas JSON beside it (<name>.json, TexturePacker hash or array layout) and the recipe of every
// frame under the atlas's top-level "recipes" key (engines ignore keys they do not know). A frame cannot
// be marked as a near copy, so near copies are refused ('flag') or left out ('skip'). The result says
// which images the frames came from; the service records it.
import path from 'node:path';
import { UserError } from '../errors';
import { uniqueNames } from './file-names';
import { applyOps, exportedRecipe, resolveOps } from './image-ops';
import { encodeWithRecipe, type ExportedRecipe } from '../media/recipe-meta';
import { parseRequest, SheetRequest, type SheetRequestInput } from './request';
import { decodeRgba, rgbaPipeline } from './rgba';
import { applyNearCopies, itemName, readImage, type ExportItem, type ExportLineage } from './items';
import { arrayAtlas, buildSheet, hashAtlas, type ArrayAtlas, type HashAtlas } from './sprite-sheet';
import { assertWritable, writeFolder } from './write-output';
import type { ExportProgress } from './batch';

export interface SheetResult {
  /** Absolute paths of the sheet PNG and its atlas JSON. */
  sheet: string;
  atlas: string;
  frames: string[];
  width: number;
  height: number;
  /** Near copies left out ('skip'). */
  skipped: ExportItem[];
  lineage: ExportLineage;
}

/** The request, checked, and the sheet and atlas paths, refused if taken: before any work (and again when writing). */
export async function checkSheet(input: SheetRequestInput) {
  const r = parseRequest(SheetRequest, input);
  const sheetPath = path.resolve(r.sheet);
  if (path.extname(sheetPath).toLowerCase() !== '.png') throw new UserError(`A sprite sheet is a .png file; got ${r.sheet}`);
  const atlasPath = sheetPath.replace(/\.png$/iu, '.json');
  for (const f of [sheetPath, atlasPath]) await assertWritable(f, 'zip', r.overwrite);
  return { r, sheetPath, atlasPath };
}

export async function exportSheet(
  given: readonly ExportItem[],
  input: SheetRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<SheetResult> {
  const { r, sheetPath, atlasPath } = await checkSheet(input);
  const copy = r.nearCopies === 'flag' ? given.find((it) => it.nearCopyOf !== undefined) : undefined;
  if (copy)
    throw new UserError(
      `${itemName(copy)} is a near copy of ${copy.nearCopyOf} and a sheet frame cannot be marked as one: skip near copies or leave it out`,
    );
  const { kept: items, skipped } = applyNearCopies(given, r.nearCopies);
  const names = uniqueNames(
    r.template,
    items.map((it, i) => ({ ...it.fields, index: i + 1 })),
    'png',
  );
  const ops = await resolveOps(r);
  const frames = [];
  for (const [i, item] of items.entries()) {
    frames.push({ name: names[i]!, image: applyOps(await decodeRgba(await readImage(item.file)), ops) });
    onProgress?.({ done: i + 1, total: items.length, file: names[i]! });
  }
  const sheet = buildSheet(frames, { mode: r.mode, padding: r.padding, extrude: r.extrude, trim: r.trim, pot: r.pot, columns: r.columns });
  const imageName = path.basename(sheetPath);
  const recipes: Record<string, ExportedRecipe | null> = Object.fromEntries(
    items.map((it, i) => [names[i]!, exportedRecipe(it.recipe, ops) ?? null]),
  );
  const atlas: (HashAtlas | ArrayAtlas) & { recipes: typeof recipes } = {
    ...(r.atlas === 'hash' ? hashAtlas(sheet, imageName) : arrayAtlas(sheet, imageName)),
    recipes,
  };
  const png = await encodeWithRecipe(rgbaPipeline(sheet.image), 'png');
  await writeFolder(
    path.dirname(sheetPath),
    [
      { name: imageName, data: png },
      { name: path.basename(atlasPath), data: Buffer.from(`${JSON.stringify(atlas, null, 2)}\n`) },
    ],
    r.overwrite,
    true,
  );

  return {
    sheet: sheetPath,
    atlas: atlasPath,
    frames: names,
    width: sheet.image.width,
    height: sheet.image.height,
    skipped,
    lineage: {
      kind: 'sheet',
      target: sheetPath,
      options: { ...r },
      files: items.map((it, i) => ({ file: names[i]!, generationId: it.generationId, sourcePath: it.sourcePath })),
    },
  };
}

// Sprite-sheet export: the selected images (after key-out, palette and upscaling) packed into one PNG
// with its atlas JSON beside it (<name>.json, TexturePacker hash or array layout), the recipe of every
// frame under the atlas's top-level "recipes" key (engines ignore keys they do not know), and the sheet
// with its frames' source generations recorded in the store.
import path from 'node:path';
import type { Store } from '../store';
import { UserError } from '../errors';
import { uniqueNames } from './file-names';
import { applyOps, exportedRecipe, resolveOps } from './image-ops';
import { encodeWithRecipe, type ExportedRecipe } from '../media/recipe-meta';
import { parseRequest, SheetRequest, type SheetRequestInput } from './request';
import { decodeRgba, rgbaPipeline } from './rgba';
import { selectItems } from './selection';
import { arrayAtlas, buildSheet, hashAtlas, type ArrayAtlas, type HashAtlas } from './sprite-sheet';
import { assertWritable, writeFolder } from './write-output';
import type { ExportProgress } from './batch';

export interface SheetResult {
  exportId: number | null;
  /** Absolute paths of the sheet PNG and its atlas JSON. */
  sheet: string;
  atlas: string;
  frames: string[];
  width: number;
  height: number;
}

export async function exportSheet(
  store: Store | undefined,
  input: SheetRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<SheetResult> {
  const r = parseRequest(SheetRequest, input);
  const sheetPath = path.resolve(r.sheet);
  if (path.extname(sheetPath).toLowerCase() !== '.png') throw new UserError(`A sprite sheet is a .png file; got ${r.sheet}`);
  const atlasPath = sheetPath.replace(/\.png$/iu, '.json');
  for (const f of [sheetPath, atlasPath]) await assertWritable(f, 'zip', r.overwrite); // before any work
  const items = await selectItems(store, r);
  const names = uniqueNames(
    r.template,
    items.map((it, i) => ({ ...it.fields, index: i + 1 })),
    'png',
  );
  const ops = await resolveOps(r);
  const frames = [];
  for (const [i, item] of items.entries()) {
    frames.push({ name: names[i]!, image: applyOps(await decodeRgba(item.bytes), ops) });
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

  const { generationIds: _g, query: _q, paths: _p, ...options } = r;
  const exportId = store
    ? store.exports.record({
        kind: 'sheet',
        target: sheetPath,
        options,
        files: items.map((it, i) => ({ file: names[i]!, generationId: it.generationId, sourcePath: it.sourcePath })),
      })
    : null;
  return { exportId, sheet: sheetPath, atlas: atlasPath, frames: names, width: sheet.image.width, height: sheet.image.height };
}

// The app's export methods: its inputs (gallery ids, a folder to put a zip in, a palette from a run)
// turned into one export (export-items.ts, which `homegrown export` shares), and its errors said in
// the app's words.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { ImageOps } from '#shared/api/export';
import { applyOps, type ImageOpsInput } from '../export/image-ops';
import { paletteFromTrainingSet, type Rgb } from '../export/pixel-art';
import { decodeRgba, rgbaPipeline } from '../export/rgba';
import { UserError } from '../errors';
import { TargetExists } from '../export/write-output';
import { userPath } from './user-path';
import { RunFiles } from '../jobs/run-files';
import type { Store } from '../store';
import type { Originality } from './originality';
import { exportToFolder, exportToSheet, type CopyReport } from './export-items';

type Ops = { [K in keyof typeof ImageOps]?: z.output<(typeof ImageOps)[K]> };

export interface ExportInput extends Ops {
  generationIds: number[];
  folder: string;
  zip: boolean;
  template?: string;
  format?: 'png' | 'webp' | 'jpeg';
  overwrite: boolean;
  nearCopies: 'flag' | 'skip';
}

export interface SheetInput extends Ops {
  generationIds: number[];
  sheet: string;
  mode: 'pack' | 'grid';
  atlas: 'hash' | 'array';
  padding: number;
  extrude: number;
  trim: boolean;
  pot: boolean;
  columns?: number;
  template?: string;
  overwrite: boolean;
  nearCopies: 'flag' | 'skip';
}

/** With `zip`, `folder` may name the zip itself (ending .zip); otherwise the zip goes inside it. */
export function zipTarget(folder: string, now = new Date()): string {
  if (folder.toLowerCase().endsWith('.zip')) return folder;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return path.join(folder, `homegrown-${stamp}.zip`);
}

/** The trainer's folder of a run (its run.json names the dataset and size the palette comes from). */
function trainingFolder(store: Store, runId: number): string {
  const run = store.runs.get(runId);
  if (!run) throw new UserError(`There is no run ${runId} to take a palette from`);
  const { runDir } = new RunFiles(store.files).read(runId);
  const folder = runDir === null ? null : store.files.resolve(runDir);
  if (folder === null || !existsSync(path.join(folder, 'run.json')))
    throw new UserError(`Run ${runId} has no training folder to take a palette from`);
  return folder;
}

/** The API's image operations as the export engine takes them. */
function engineOps(store: Store, input: Ops & { generationIds: number[] }): ImageOpsInput {
  const ops: ImageOpsInput = {};
  if (input.keyOut) ops.keyOut = input.keyOut;
  if (input.upscale !== undefined) ops.upscale = input.upscale;
  if (input.palette) {
    const runId = input.palette.runId ?? store.generations.get(input.generationIds[0]!)?.runId;
    if (runId === undefined) throw new UserError(`There is no image ${input.generationIds[0]}`);
    ops.palette = { from: trainingFolder(store, runId), colors: input.palette.colors };
  }
  return ops;
}

/**
 * One generation through palette snapping and upscaling, as a PNG data URL. A training set's palette
 * is read once per run folder and size, then kept (previews are asked for again at each change).
 */
export async function previewImage(
  store: Store,
  input: { generationId: number; palette?: { runId?: number; colors: number }; upscale?: 1 | 2 | 4 | 8 },
  palettes: Map<string, Promise<Rgb[]>> = new Map(),
): Promise<{ image: string; width: number; height: number; palette: string[] }> {
  const row = store.generations.get(input.generationId);
  if (!row) throw new UserError(`There is no image ${input.generationId}`);
  const bytes = await readFile(store.files.resolve(row.path)).catch(() => null);
  if (!bytes) throw new UserError(`The file of image ${row.id} is missing`);
  let palette: Rgb[] | undefined;
  if (input.palette) {
    const from = trainingFolder(store, input.palette.runId ?? row.runId);
    const key = `${from}\n${input.palette.colors}`;
    if (!palettes.has(key)) palettes.set(key, paletteFromTrainingSet(from, input.palette.colors));
    palette = await palettes.get(key)!.catch((e: unknown) => {
      palettes.delete(key);
      throw e;
    });
  }
  const out = applyOps(await decodeRgba(bytes), { palette, upscale: input.upscale });
  const png = await rgbaPipeline(out).png().toBuffer();
  return {
    image: `data:image/png;base64,${png.toString('base64')}`,
    width: out.width,
    height: out.height,
    palette: (palette ?? []).map((c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`),
  };
}

/** Errors in the app's words: its checkbox, not the command line's flag. */
async function inAppWords<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof TargetExists) throw new UserError(e.inAppWords());
    throw e;
  }
}

export async function exportImages(
  store: Store,
  originality: Originality,
  input: ExportInput,
): Promise<{ files: string[]; count: number; target: string } & CopyReport> {
  const folder = userPath(input.folder);
  const r = await inAppWords(() =>
    exportToFolder(
      { store, originality },
      { generationIds: input.generationIds },
      {
        ...(input.zip ? { zip: zipTarget(folder) } : { folder }),
        ...(input.template !== undefined ? { template: input.template } : {}),
        ...(input.format !== undefined ? { format: input.format } : {}),
        overwrite: input.overwrite,
        nearCopies: input.nearCopies,
        ...engineOps(store, input),
      },
    ),
  );
  return {
    files: r.zip ? [r.zip] : r.files.map((name) => path.join(r.target, name)),
    count: r.files.length,
    target: r.target,
    copies: r.copies,
    unchecked: r.unchecked,
  };
}

export async function exportSheetOf(
  store: Store,
  originality: Originality,
  input: SheetInput,
): Promise<{ sheet: string; atlas: string; frames: string[]; width: number; height: number } & CopyReport> {
  const { keyOut: _k, palette: _p, upscale: _u, generationIds, template, columns, ...layout } = input;
  const r = await inAppWords(() =>
    exportToSheet(
      { store, originality },
      { generationIds },
      {
        ...layout,
        sheet: userPath(input.sheet),
        ...(template !== undefined ? { template } : {}),
        ...(columns !== undefined ? { columns } : {}),
        ...engineOps(store, input),
      },
    ),
  );
  return { sheet: r.sheet, atlas: r.atlas, frames: r.frames, width: r.width, height: r.height, copies: r.copies, unchecked: r.unchecked };
}

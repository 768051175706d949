// `homegrown export`: images from the store (by id, or by run / rating / tag) or image files given on
// the command line, to a folder or zip with a manifest, or packed into a sprite sheet with its atlas;
// optional key-out, palette snapping and nearest-neighbour upscaling on the way, and gallery images that
// nearly copy a training image marked or left out, as the app's export does (the same service function).
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../core/errors';
import type { ExportProgress } from '../core/export/batch';
import type { ImageOpsInput } from '../core/export/image-ops';
import { exportToFolder, exportToSheet, type CopyReport, type Selection } from '../core/service/export-items';
import { Originality } from '../core/service/originality';
import { AppFiles, resolveHome, Store } from '../core/store';
import { progressBar, type Progress } from './progress';
import { wholeNumber } from './whole-number';

const HOME_HELP = 'app data folder (default: $HOMEGROWN_HOME, else the per-OS location)';

interface Options {
  ids?: string;
  run?: number;
  rating?: number;
  tag?: string;
  all?: boolean;
  folder?: string;
  zip?: string;
  template?: string;
  format?: 'png' | 'webp' | 'jpeg';
  overwrite?: boolean;
  sheet?: string;
  atlas?: 'hash' | 'array';
  grid?: boolean;
  columns?: number;
  padding?: number;
  extrude?: number;
  trim?: boolean;
  pot?: boolean;
  upscale?: string;
  palette?: string;
  colors?: number;
  keyOut?: string | boolean;
  tolerance?: number;
  softness?: number;
  nearCopies?: 'flag' | 'skip';
  home?: string;
}

function ids(text: string): number[] {
  return text.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`--ids takes image ids separated by commas; "${s}" is not one`);
    return n;
  });
}

function selection(images: string[], o: Options): Selection {
  const byQuery = o.run !== undefined || o.rating !== undefined || o.tag !== undefined || o.all;
  const chosen = [images.length > 0, o.ids !== undefined, byQuery].filter(Boolean).length;
  if (chosen === 0) throw new UserError('Choose the images: give image files, --ids, or --run / --rating / --tag (or --all)');
  if (chosen > 1) throw new UserError('Choose the images one way: image files, --ids, or --run / --rating / --tag');
  if (images.length > 0) return { paths: images };
  if (o.ids !== undefined) return { generationIds: ids(o.ids) };
  return { query: { runId: o.run, minRating: o.rating, tag: o.tag } };
}

function ops(o: Options): ImageOpsInput {
  const out: ImageOpsInput = {};
  if (o.upscale !== undefined) out.upscale = Number(o.upscale) as 1 | 2 | 4 | 8;
  if (o.palette !== undefined)
    out.palette = /^#|^[0-9a-f]{6}(,|$)/iu.test(o.palette)
      ? o.palette.split(',').map((c) => c.trim())
      : { from: o.palette, colors: o.colors ?? 16 };
  if (o.keyOut !== undefined) {
    out.keyOut = {
      ...(typeof o.keyOut === 'string' ? { colour: o.keyOut } : {}),
      ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
      ...(o.softness !== undefined ? { softness: o.softness } : {}),
    };
  }
  return out;
}

/** The gallery's store, or (for image files given by path) undefined when there is none yet. */
function openStore(home: string | undefined, required: boolean): Store | undefined {
  const db = new AppFiles(resolveHome(home)).databasePath;
  if (!fs.existsSync(db)) {
    if (required) throw new UserError(`There is no Homegrown gallery at ${db}; pass --home or set HOMEGROWN_HOME`);
    return undefined;
  }
  return Store.open({ home, mustExist: true });
}

function reportCopies(r: CopyReport, mode: Options['nearCopies']): void {
  if (r.copies.length)
    process.stderr.write(
      `${r.copies.length} ${r.copies.length === 1 ? 'image nearly copies a training image' : 'images nearly copy training images'} (${r.copies
        .map((c) => `${c.id}: ${c.of}`)
        .join(', ')}); ${mode === 'skip' ? 'left out' : 'named near-copy_…'}\n`,
    );
  if (r.unchecked.length)
    process.stderr.write(`Not checked for near copies (their run's training folder is gone): ${r.unchecked.join(', ')}\n`);
}

export function exportCommand(): Command {
  return new Command('export')
    .argument('[images...]', 'image files to export (instead of selecting from the gallery)')
    .option('--ids <list>', 'gallery image ids, e.g. 12,15,16')
    .option('--run <id>', 'every image of this run', wholeNumber('run'))
    .option('--rating <n>', 'images rated at least n (1–5)', wholeNumber('rating'))
    .option('--tag <tag>', 'images with this tag')
    .option('--all', 'every image in the gallery')
    .option('--folder <dir>', 'write the files into this folder (new or empty)')
    .option('--zip <file>', 'write the files into this zip')
    .option('--template <t>', 'file names: {run} {seed} {prompt} {id} {negative} {step} {model} {rating} {index} {source}')
    .addOption(new Option('--format <f>', 'image format').choices(['png', 'webp', 'jpeg']))
    .option('--overwrite', 'write into a non-empty folder, replace an existing zip or sheet')
    .option('--sheet <file.png>', 'pack the images into one sprite sheet with a JSON atlas beside it')
    .addOption(new Option('--atlas <layout>', 'atlas layout (TexturePacker JSON)').choices(['hash', 'array']))
    .option('--grid', 'sheet on a fixed grid of same-size cells instead of packed')
    .option('--columns <n>', 'grid columns', wholeNumber('columns'))
    .option('--padding <px>', 'pixels between frames', wholeNumber('padding'))
    .option('--extrude <px>', "repeat each frame's edge pixels outward", wholeNumber('extrude'))
    .option('--trim', 'cut transparent borders off frames (packed sheets)')
    .option('--pot', 'sheet sides rounded up to powers of two')
    .addOption(new Option('--upscale <k>', 'nearest-neighbour upscale').choices(['2', '4', '8']))
    .option('--palette <source>', 'snap to a palette: #rrggbb,#rrggbb,… or a run / image folder to take it from')
    .option('--colors <n>', 'palette size when taken from a training set (default 16)', wholeNumber('colors'))
    .option('--key-out [colour]', 'make the background transparent (colour: #rrggbb, default: from the border)')
    .option('--tolerance <d>', 'key-out: colour distance that is fully background (default 24)', Number)
    .option('--softness <d>', 'key-out: width of the soft edge in colour distance (default 96)', Number)
    .addOption(
      new Option('--near-copies <mode>', 'gallery images that nearly copy a training image: mark them near-copy_… or skip them')
        .choices(['flag', 'skip'])
        .default('flag'),
    )
    .option('--home <dir>', HOME_HELP)
    .action(async (images: string[], o: Options) => {
      const sel = selection(images, o);
      // Image files need no gallery (the export is recorded and checked for near copies if there is one).
      const store = openStore(o.home, !('paths' in sel));
      const context = { store, originality: store && new Originality(store) };
      let bar: Progress | undefined;
      const onProgress = (p: ExportProgress) => {
        bar ??= progressBar('export', p.total, 0, 10);
        bar.update(p.done, { info: p.file, rate: '' });
      };
      try {
        if (o.sheet) {
          if (o.folder || o.zip || o.format)
            throw new UserError('--sheet writes one PNG and its atlas; leave out --folder, --zip and --format');
          const r = await exportToSheet(
            context,
            sel,
            {
              ...ops(o),
              sheet: o.sheet,
              atlas: o.atlas,
              mode: o.grid ? 'grid' : 'pack',
              columns: o.columns,
              padding: o.padding,
              extrude: o.extrude,
              trim: o.trim,
              pot: o.pot,
              template: o.template,
              overwrite: o.overwrite,
              nearCopies: o.nearCopies,
            },
            onProgress,
          );
          bar?.stop();
          process.stdout.write(`${r.sheet}\n${r.atlas}\n`);
          reportCopies(r, o.nearCopies);
          process.stderr.write(
            `${r.frames.length} frames on a ${r.width}×${r.height} sheet${r.exportId ? ` (export ${r.exportId})` : ''}\n`,
          );
          return;
        }
        if (!o.folder === !o.zip) throw new UserError('Give --folder <dir> or --zip <file> (or --sheet <file.png>)');
        const r = await exportToFolder(
          context,
          sel,
          {
            ...ops(o),
            folder: o.folder,
            zip: o.zip,
            template: o.template,
            format: o.format,
            overwrite: o.overwrite,
            nearCopies: o.nearCopies,
          },
          onProgress,
        );
        bar?.stop();
        reportCopies(r, o.nearCopies);
        for (const f of r.files) process.stdout.write(`${path.join(r.target, f)}\n`);
        process.stderr.write(
          `${r.files.length} images and manifest.csv/json written to ${r.target}${r.exportId ? ` (export ${r.exportId})` : ''}\n`,
        );
      } finally {
        store?.close();
      }
    });
}

// `homegrown doctor <folder>`: the Dataset Doctor's report, readable or as JSON, and `--fix` to write
// normalised copies of the accepted images into a new folder (the dataset folder is never written).
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_PIXELS, restrictDecoders } from '../core/dataset/decode';
import { examineScan, type AcceptedImage, type DoctorReport, type ReportEntry } from '../core/dataset/doctor';
import { fixWriter, prepareFixFolder } from '../core/dataset/fix';
import { scanFolder } from '../core/dataset/scan';
import { progressBar, type Progress } from './progress';

// Words of the caption vocabulary printed; the JSON report has them all.
const VOCABULARY_SHOWN = 40;
const SUMMARY_MARKS = { problem: '!', fixable: '→', note: '·' } as const;

export function doctorCommand(): Command {
  return new Command('doctor')
    .argument('<folder>', 'the dataset folder')
    .option('--json', 'print the report as JSON')
    .option('--fix <outDir>', 'write upright sRGB 8-bit PNG copies with caption files into this new or empty folder')
    .option('--max-pixels <n>', 'refuse images claiming more pixels than this', positiveInteger, DEFAULT_MAX_PIXELS)
    .action(async (folder: string, o: { json?: boolean; fix?: string; maxPixels: number }) => {
      // This process only reads datasets, so every other image decoder can go.
      restrictDecoders();
      const scan = await scanFolder(folder);
      const out = o.fix ? await prepareFixFolder(o.fix, scan.root) : undefined;
      let bar: Progress | undefined;
      const report = await examineScan(scan, {
        maxPixels: o.maxPixels,
        onAccepted: out ? fixWriter(out, scan, o.maxPixels) : undefined,
        onProgress: (done, total) => {
          if (o.json || !process.stderr.isTTY) return;
          bar ??= progressBar('checking', total, 0);
          bar.update(done, { info: '', rate: '' });
        },
      });
      bar?.stop();
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      if (out && !o.json) process.stdout.write(`\nWrote ${report.summary.accepted} fixed copies with captions to ${out}\n`);
    });
}

/** The report as text for a terminal. */
export function formatReport(report: DoctorReport): string {
  const { summary } = report;
  const lines = [`Dataset Doctor: ${report.root}`];
  lines.push(
    `${summary.found} entries: ${summary.accepted} images accepted, ${summary.skipped} skipped, ${summary.captionFiles} caption files`,
  );
  const section = (title: string, entries: string[]) => {
    if (entries.length > 0) lines.push('', `${title} (${entries.length})`, ...entries.map((e) => `  ${e}`));
  };
  const byStatus = <S extends ReportEntry['status']>(status: S) =>
    report.files.filter((f): f is Extract<ReportEntry, { status: S }> => f.status === status);
  section('Accepted', byStatus('accepted').map(describeImage));
  section(
    'Skipped',
    byStatus('skipped').map((f) => `${f.path}: ${f.reason}`),
  );
  section(
    'Caption files',
    byStatus('caption').map((f) => `${f.path} → ${f.for.join(', ')}`),
  );
  section('Sequences', report.sequences.map(describeSequence));
  section(
    'Near-duplicate groups',
    report.nearDuplicates.map((g) => g.join(' ≈ ')),
  );
  if (report.vocabulary.length > 0) {
    const shown = report.vocabulary.slice(0, VOCABULARY_SHOWN).map((v) => `${v.token} ${v.count}`);
    const more = report.vocabulary.length - shown.length;
    lines.push(
      '',
      `Caption vocabulary (${report.vocabulary.length} words)`,
      `  ${shown.join(' · ')}${more > 0 ? ` · … ${more} more` : ''}`,
    );
  }
  lines.push('', 'Summary');
  if (summary.accepted === 0) lines.push('  ✗ no image can be used for training: see the skipped files above');
  for (const fix of summary.fixes) {
    const examples = `${fix.examples.join(', ')}${fix.count > fix.examples.length ? ', …' : ''}`;
    lines.push(`  ${SUMMARY_MARKS[fix.kind]} ${fix.problem} (${fix.count}): ${fix.action}. ${examples}`);
  }
  if (summary.fixes.some((f) => f.kind === 'fixable')) {
    lines.push('  (→ `homegrown doctor <folder> --fix <new folder>` writes corrected copies)');
  }
  if (!summary.fixes.some((f) => f.kind !== 'note') && summary.accepted > 0) lines.push('  ✓ nothing to fix');
  return `${lines.join('\n')}\n`;
}

function describeImage(image: AcceptedImage): string {
  const details = [
    `${image.width}×${image.height}`,
    image.format.toUpperCase(),
    `${image.mode} ${image.bitDepth}-bit${image.palette ? ' palette' : ''}`,
  ];
  if (image.alphaUsed) details.push('transparency used');
  if (image.pixelArt) details.push('pixel art');
  if (image.orientation !== 1) details.push(`EXIF orientation ${image.orientation}`);
  if (image.frames > 1) details.push(`${image.frames} frames (first used)`);
  const caption = image.caption ? `"${image.caption}"` : 'no caption';
  return `${image.path}: ${details.join(', ')}; ${caption} (${image.captionSource})`;
}

function describeSequence(s: DoctorReport['sequences'][number]): string {
  const size = s.sameSize ? s.sizes[0] : `sizes differ: ${s.sizes.join(', ')}`;
  return `${s.folder}/: ${s.frames.length} frame${s.frames.length === 1 ? '' : 's'}, ${size}${s.loops ? ', loops' : ''}`;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('give a whole number of pixels, e.g. 50000000');
  return n;
}

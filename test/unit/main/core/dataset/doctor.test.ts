import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFolder, examineScan, type AcceptedImage, type DoctorReport } from '#core/dataset/doctor';
import { fixWriter, prepareFixFolder } from '#core/dataset/fix';
import { scanFolder } from '#core/dataset/scan';
import { summarise } from '#core/dataset/summary';
import type { SkipCode } from '#core/dataset/skip';
import { UserError } from '#core/errors';
import { buildHostileFolder, HOSTILE, type HostileFolder } from '#test/fixtures/hostile-folder';

type Case = keyof typeof HOSTILE;
const ACCEPTED: Case[] = [
  'plain',
  'jpeg',
  'webp',
  'tiff',
  'avif',
  'cmyk',
  'wideGamut',
  'sixteenBit',
  'animatedGif',
  'animatedWebp',
  'rotated',
  'palette',
  'grey',
  'alpha',
  'opaqueAlpha',
  'spaces',
  'emoji',
  'cjk',
  'nfc',
  'nfdOnly',
  'midDeep',
];
const SKIPPED: Partial<Record<Case, SkipCode>> = {
  zeroByte: 'empty',
  truncatedPng: 'damaged',
  truncatedJpeg: 'damaged',
  textAsPng: 'not-image',
  svgAsPng: 'not-image',
  svg: 'not-image-type',
  bomb: 'too-many-pixels',
  nfd: 'name-clash',
  loop: 'symlink-loop',
  selfLoop: 'symlink-loop',
  escapeDir: 'symlink-outside',
  escapeFile: 'symlink-outside',
  broken: 'symlink-broken',
  insideLink: 'symlink-inside',
  fifo: 'not-regular',
  device: 'not-regular',
  tooDeep: 'too-deep',
  hiddenFile: 'hidden',
  hiddenDir: 'hidden',
  notes: 'not-image-type',
  orphanCaption: 'unused-caption',
};
// Root reads a chmod-000 file anyway; anyone else is refused it.
const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const execFileAsync = promisify(execFile);

let folder: HostileFolder;
let report: DoctorReport;
// The NFC and NFD café share one NFC path: the first listed is the accepted one, the second the clash.
const entryOf = (c: Case) => report.files.filter((f) => f.path === HOSTILE[c].normalize('NFC')).at(c === 'nfd' ? -1 : 0);
const acceptedOf = (c: Case) => entryOf(c) as AcceptedImage;

/** Every path under root with its size and mtime: proof that nothing there was written. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.map(async (e) => {
      const path = join(e.parentPath, e.name);
      const s = await stat(path).catch(() => null);
      return `${path} ${s?.size} ${s?.mtimeMs}`;
    }),
  ).then((lines) => lines.sort());
}

/** The doctor's entry for one path when run as user nobody, or why that could not be done. */
async function examineAsNobody(root: string, path: string): Promise<object | string> {
  const script = `import { examineFolder } from './main/core/dataset/doctor.ts';
    const report = await examineFolder(process.argv[1]);
    console.log(JSON.stringify(report.files.find((f) => f.path === process.argv[2])));`;
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, root, path], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: process.cwd(),
    });
    return JSON.parse(stdout);
  } catch (err) {
    return String((err as Error).message).split('\n', 1)[0]!;
  }
}

beforeAll(async () => {
  folder = await buildHostileFolder();
  report = await examineFolder(folder.root);
});
afterAll(() => folder.cleanup());

describe('the doctor on a hostile folder', () => {
  it('accounts for every case: accepted, or skipped with the expected reason', () => {
    for (const c of ACCEPTED) expect(entryOf(c)?.status, c).toBe('accepted');
    for (const [c, code] of Object.entries(SKIPPED) as [Case, SkipCode][]) {
      if (c === 'device' && folder.unavailable.device) continue;
      expect(entryOf(c), c).toMatchObject({ status: 'skipped', code });
    }
    expect(entryOf('unreadable')).toMatchObject(ROOT ? { status: 'accepted' } : { status: 'skipped', code: 'unreadable' });
  });

  it('lists nothing it was not given, and nothing twice', () => {
    const expected = new Set([...ACCEPTED, ...Object.keys(SKIPPED), 'unreadable'].map((c) => HOSTILE[c as Case].normalize('NFC')));
    const paths = report.files.map((f) => f.path);
    expect(paths.filter((p) => !expected.has(p))).toEqual([]);
    expect(paths.filter((p) => p !== HOSTILE.nfc.normalize('NFC')).length).toBe(new Set(paths).size - 1);
  });

  it('refuses to read an unreadable file (as root: checked by a child process running as nobody)', async (ctx) => {
    const entry = ROOT ? await examineAsNobody(folder.root, HOSTILE.unreadable) : entryOf('unreadable');
    if (typeof entry === 'string') ctx.skip(`running as root, and the check as nobody could not run: ${entry}`);
    expect(entry).toMatchObject({ status: 'skipped', code: 'unreadable', reason: 'cannot read: permission denied' });
  });

  it('gives every skip a one-line reason', () => {
    for (const f of report.files) if (f.status === 'skipped') expect(f.reason, f.path).toMatch(/^[^\n]{8,}$/);
  });

  it('describes each accepted image', () => {
    expect(acceptedOf('plain')).toMatchObject({ width: 64, height: 32, mode: 'RGB', bitDepth: 8, alphaUsed: false, orientation: 1 });
    expect(acceptedOf('rotated')).toMatchObject({ width: 16, height: 32, orientation: 6 });
    expect(acceptedOf('cmyk').mode).toBe('CMYK');
    expect(acceptedOf('sixteenBit').bitDepth).toBe(16);
    expect(acceptedOf('grey').mode).toBe('grey');
    expect(acceptedOf('palette').palette).toBe(true);
    expect(acceptedOf('alpha')).toMatchObject({ mode: 'RGBA', alphaUsed: true });
    expect(acceptedOf('opaqueAlpha')).toMatchObject({ mode: 'RGBA', hasAlpha: true, alphaUsed: false });
    expect(acceptedOf('animatedGif').frames).toBe(2);
    expect(acceptedOf('emoji')).toMatchObject({ caption: 'names', captionSource: 'folder' });
    expect(acceptedOf('sixteenBit')).toMatchObject({ caption: 'sixteen bit', captionSource: 'filename' });
    expect(acceptedOf('plain').phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('groups the copies of the same picture as near-duplicates', () => {
    const copies = report.nearDuplicates.find((g) => g.includes(HOSTILE.plain))!;
    expect(copies).toEqual(expect.arrayContaining([HOSTILE.spaces, HOSTILE.emoji, HOSTILE.cjk, HOSTILE.midDeep]));
    expect(report.nearDuplicates.find((g) => g.includes(HOSTILE.animatedGif))).toContain(HOSTILE.animatedWebp);
  });

  it('summarises counts and what to do: problems first, then what --fix resolves, then notes', () => {
    const { summary } = report;
    expect(summary.found).toBe(report.files.length);
    expect(summary.accepted + summary.skipped + summary.captionFiles).toBe(summary.found);
    const fix = (problem: string) => summary.fixes.find((f) => f.problem === problem);
    expect(fix('CMYK images')).toMatchObject({ count: 1, kind: 'fixable', examples: [HOSTILE.cmyk] });
    expect(fix('images rotated by an EXIF tag')).toMatchObject({ count: 1, kind: 'fixable' });
    expect(fix('images above the pixel limit')).toMatchObject({
      count: 1,
      kind: 'problem',
      action: expect.stringContaining('--max-pixels'),
    });
    expect(fix('hidden files or folders')).toMatchObject({ count: 2, kind: 'note' });
    const kinds = summary.fixes.map((f) => f.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => ['problem', 'fixable', 'note'].indexOf(a) - ['problem', 'fixable', 'note'].indexOf(b)));
    expect(fix('damaged or truncated images')?.count).toBe(2);
  });

  it("speaks the app's words when asked: no flags, and what --fix changes is training's to handle", () => {
    const app = summarise(report.files, report.nearDuplicates, report.sequences, 'app');
    expect(app.fixes.map((f) => f.action).join('\n')).not.toMatch(/--|chmod/);
    const fix = (problem: string) => app.fixes.find((f) => f.problem === problem);
    expect(fix('CMYK images')).toMatchObject({ count: 1, kind: 'note', action: 'nothing to do: training converts them to sRGB' });
    expect(fix('images above the pixel limit')).toMatchObject({ kind: 'problem', action: 'shrink them' });
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports progress over every file', async () => {
    const calls: [number, number][] = [];
    await examineFolder(folder.root, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)![0]).toBe(calls.at(-1)![1]);
    expect(calls.length).toBe(calls[0]![1]);
  });

  // Issue 16, item 2: a file swapped for a FIFO after the scan blocked the doctor's read for ever.
  it('skips a file that became a FIFO after the scan instead of waiting on it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hg-doctor-fifo-'));
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    await writeFile(join(root, 'red.png'), png);
    await writeFile(join(root, 'blue.png'), png);
    const scan = await scanFolder(root);
    await rm(join(root, 'blue.png'));
    await promisify(execFile)('mkfifo', [join(root, 'blue.png')]);
    const report = await examineScan(scan);
    expect(report.files.find((f) => f.path === 'blue.png')).toMatchObject({
      status: 'skipped',
      code: 'unreadable',
      reason: expect.stringContaining('not a regular file'),
    });
    expect(report.files.find((f) => f.path === 'red.png')).toMatchObject({ status: 'accepted' });
  });

  it('accepts the bomb-sized limit it is given', async () => {
    const strict = await examineFolder(folder.root, { maxPixels: 1000 });
    expect(strict.files.find((f) => f.path === HOSTILE.plain)).toMatchObject({ status: 'skipped', code: 'too-many-pixels' });
  });
});

describe('doctor --fix', () => {
  it('writes normalised copies with their captions outside the folder, and never touches the folder', async () => {
    const before = await snapshot(folder.root);
    const scan = await scanFolder(folder.root);
    const out = await prepareFixFolder(join(folder.root, '..', 'fixed'), scan.root);
    const fixedReport = await examineScan(scan, { onAccepted: fixWriter(out, scan, report.maxPixels) });
    expect(await snapshot(folder.root)).toEqual(before);

    const accepted = fixedReport.files.filter((f) => f.status === 'accepted');
    const rotated = await sharp(await readFile(join(out, 'rotated.png'))).metadata();
    expect(rotated).toMatchObject({ width: 16, height: 32, space: 'srgb', depth: 'uchar' });
    expect((await sharp(await readFile(join(out, 'cmyk.png'))).metadata()).space).toBe('srgb');
    expect((await sharp(await readFile(join(out, 'sixteen-bit.png'))).metadata()).depth).toBe('uchar');
    expect(await readFile(join(out, 'names', 'emoji 🎨.txt'), 'utf8')).toBe('names\n');
    // image.webp, image.tiff and image.avif share a stem, so they keep their extensions.
    expect(await readdir(out)).toEqual(expect.arrayContaining(['image.webp.png', 'image.tiff.png', 'image.avif.png']));

    const again = await examineFolder(out);
    const fixed = again.files.filter((f): f is AcceptedImage => f.status === 'accepted');
    expect(fixed).toHaveLength(accepted.length);
    for (const f of fixed) expect(f).toMatchObject({ format: 'png', bitDepth: 8, orientation: 1, frames: 1 });
    expect(fixed.find((f) => f.path === 'rotated.png')).toMatchObject({ caption: 'rotated', captionSource: 'sidecar' });
  });

  it('refuses a target inside the dataset, a non-empty folder, or a file', async () => {
    const root = (await scanFolder(folder.root)).root;
    await expect(prepareFixFolder(join(folder.root, 'fixed'), root)).rejects.toThrow(/outside the dataset/);
    await expect(prepareFixFolder(folder.root, root)).rejects.toThrow(UserError);
    const full = join(folder.root, '..', 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'mine');
    await expect(prepareFixFolder(full, root)).rejects.toThrow(/not empty/);
    await expect(prepareFixFolder(join(full, 'keep.txt'), root)).rejects.toThrow(/is a file/);
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '#main/cli/doctor';
import type { DoctorReport } from '#core/dataset/doctor';
import { UserError } from '#core/errors';
import { buildCaptionedFolder } from '#test/fixtures/captioned-folder';
import { captureStdout } from '#test/fixtures/capture-stdout';
import { buildHostileFolder, HOSTILE, type HostileFolder } from '#test/fixtures/hostile-folder';

let hostile: HostileFolder;
let captioned: { root: string; cleanup: () => Promise<void> };
let scratch: string;

/** Runs `doctor <args>` and returns what it printed on stdout. */
function doctor(...args: string[]): Promise<string> {
  return captureStdout(() =>
    doctorCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => {} })
      .parseAsync(args, { from: 'user' }),
  );
}

beforeAll(async () => {
  hostile = await buildHostileFolder();
  captioned = await buildCaptionedFolder();
  scratch = await mkdtemp(join(tmpdir(), 'homegrown-doctor-cli-'));
});
afterAll(async () => {
  await hostile.cleanup();
  await captioned.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe('homegrown doctor', () => {
  it('prints a readable report: accepted, skipped with reasons, captions, duplicates, vocabulary, summary', async () => {
    const text = await doctor(hostile.root);
    expect(text).toMatch(/^Dataset Doctor: /);
    expect(text).toMatch(/\d+ entries: 22 images accepted, \d+ skipped, 0 caption files/);
    expect(text).toContain('rotated.jpg: 16×32, JPEG, RGB 8-bit, EXIF orientation 6; "rotated" (filename)');
    expect(text).toContain('animated.gif: 16×16, GIF, RGBA 8-bit palette, pixel art, 2 frames (first used)');
    expect(text).toContain('bomb.png: image claims 100000×100000 pixels');
    expect(text).toContain('fifo.png: not a regular file (a FIFO)');
    expect(text).toMatch(/Near-duplicate groups \(\d+\)/);
    expect(text).toMatch(/Caption vocabulary \(\d+ words\)\n {2}names 5 · /);
    expect(text).toContain('→ CMYK images (1): --fix writes sRGB copies (training converts them too). cmyk.jpg');
    expect(text).toContain('! damaged or truncated images (2): re-export them from the original. truncated.jpg, truncated.png');
    expect(text).toContain('· FIFOs, sockets or devices');
  });

  it('lists caption files and the images they caption', async () => {
    const text = await doctor(captioned.root);
    expect(text).toContain('cat_01.txt → cat_01.png');
    expect(text).toContain('cat_01.png: 40×30, PNG, RGB 8-bit, pixel art; "a black cat, sitting" (sidecar)');
    expect(text).toContain('animals/birds/blue_jay-7.png: 40×30, PNG, RGB 8-bit, pixel art; "animals, birds" (folder)');
  });

  it('prints the whole report as JSON with --json', async () => {
    const report = JSON.parse(await doctor(hostile.root, '--json')) as DoctorReport;
    expect(report.summary.accepted).toBe(22);
    expect(report.files.find((f) => f.path === HOSTILE.bomb)).toMatchObject({ status: 'skipped', code: 'too-many-pixels' });
  });

  it('takes --max-pixels', async () => {
    const report = JSON.parse(await doctor(hostile.root, '--json', '--max-pixels', '1000')) as DoctorReport;
    expect(report.maxPixels).toBe(1000);
    expect(report.files.find((f) => f.path === HOSTILE.plain)).toMatchObject({ status: 'skipped', code: 'too-many-pixels' });
    await expect(doctor(hostile.root, '--max-pixels', 'lots')).rejects.toThrow(CommanderError);
  });

  it('writes fixed copies with --fix, outside the folder only', async () => {
    const out = join(scratch, 'fixed');
    expect(await doctor(captioned.root, '--fix', out)).toContain(`Wrote 10 fixed copies with captions to ${out}`);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['cat_01.png', 'cat_01.txt', 'IMG_1234.png', 'animals']));
    expect(await readFile(join(out, 'cat_01.txt'), 'utf8')).toBe('a black cat, sitting\n');
    await expect(doctor(captioned.root, '--fix', join(captioned.root, 'fixed'))).rejects.toThrow(UserError);
  });

  it('fails with a UserError for a missing folder', async () => {
    await expect(doctor(join(scratch, 'missing'))).rejects.toThrow(/Folder not found/);
  });

  it('switches off every image decoder the app does not accept', async () => {
    await doctor(captioned.root, '--json');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/);
  });
});

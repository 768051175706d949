import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionFromPath, captionKey, cleanName, extensionOf, readSidecar, resolveCaption } from '#core/dataset/captions';
import { examineFolder, type AcceptedImage, type DoctorReport } from '#core/dataset/doctor';
import { buildCaptionedFolder, CAPTIONED } from '#test/fixtures/captioned-folder';

describe('names as captions', () => {
  it.each([
    ['red_circle-003', 'red circle'],
    ['IMG_1234', 'img'],
    ['0001', ''],
    ['Blue  Jay.final', 'blue jay final'],
    ['猫_2', '猫'],
    ['cat, orange', 'cat, orange'],
  ])('cleanName(%j) = %j', (name, caption) => {
    expect(cleanName(name)).toBe(caption);
  });

  it('uses the folders below the root first, then the file name', () => {
    expect(captionFromPath('animals/birds_01/jay.png')).toEqual({ text: 'animals, birds', source: 'folder' });
    expect(captionFromPath('2024/red_circle-003.png')).toEqual({ text: 'red circle', source: 'filename' });
    expect(captionFromPath('red_circle-003.png')).toEqual({ text: 'red circle', source: 'filename' });
  });

  it('pairs images and sidecars by path without extension', () => {
    expect(captionKey('a/b/cat.PNG')).toBe('a/b/cat');
    expect(extensionOf('a.b/c')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
  });
});

describe('caption order in a folder: sidecar .txt, sidecar .caption, folder names, file name', () => {
  let folder: { root: string; cleanup: () => Promise<void> };
  let report: DoctorReport;
  beforeAll(async () => {
    folder = await buildCaptionedFolder();
    report = await examineFolder(folder.root);
  });
  afterAll(() => folder.cleanup());

  it.each(Object.entries(CAPTIONED))('%s', (path, expected) => {
    const image = report.files.find((f): f is AcceptedImage => f.path === path.normalize('NFC') && f.status === 'accepted');
    expect(image && { caption: image.caption, source: image.captionSource }).toEqual(expected);
  });

  it('lists the sidecars used as captions, and the outranked one as unused', () => {
    expect(report.files.find((f) => f.path === 'cat_01.txt')).toEqual({ path: 'cat_01.txt', status: 'caption', for: ['cat_01.png'] });
    expect(report.files.find((f) => f.path === 'dog-02.caption')).toMatchObject({ status: 'caption' });
    expect(report.files.find((f) => f.path === 'both.caption')).toMatchObject({ status: 'skipped', code: 'unused-caption' });
  });

  it('counts the caption vocabulary per image', () => {
    const count = (token: string) => report.vocabulary.find((v) => v.token === token)?.count;
    expect(count('cat')).toBe(1);
    expect(count('circle')).toBe(1);
    expect(count('猫')).toBe(1);
    expect(count('animals')).toBe(1);
  });

  it('flags the image left without a caption', () => {
    expect(report.summary.fixes.find((f) => f.problem === 'images without a caption')).toMatchObject({ count: 1, examples: ['0001.png'] });
  });
});

describe('reading a sidecar', () => {
  it('falls back to the name, at once, when the sidecar was swapped for a FIFO after the scan', async () => {
    const fifo = join(await mkdtemp(join(tmpdir(), 'hg-sidecar-')), 'red_circle.txt');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(await readSidecar(fifo)).toBeNull();
    expect(await resolveCaption('red_circle.png', fifo)).toEqual({ text: 'red circle', source: 'filename' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

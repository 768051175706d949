import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '#core/errors';
import { scanFolder, type ScanResult } from '#core/dataset/scan';
import { buildHostileFolder, HOSTILE, OUTSIDE, type HostileFolder } from '#test/fixtures/hostile-folder';

let folder: HostileFolder;
let scan: ScanResult;
const skipOf = (path: string) => scan.skipped.find((s) => s.path === path.normalize('NFC'));
const fileOf = (path: string) => scan.files.find((f) => f.path === path.normalize('NFC'));

beforeAll(async () => {
  folder = await buildHostileFolder();
  scan = await scanFolder(folder.root);
});
afterAll(() => folder.cleanup());

describe('scanFolder on a hostile folder', () => {
  it('lists regular files under NFC, slash-separated paths and reads them from their on-disk names', () => {
    expect(fileOf(HOSTILE.plain)).toMatchObject({ path: 'plain.png', size: expect.any(Number) });
    const naive = fileOf(HOSTILE.nfdOnly)!;
    expect(naive.path).toBe('names/naïve.png'.normalize('NFC'));
    expect(naive.abs.endsWith('naïve.png'.normalize('NFD'))).toBe(true);
    expect(fileOf(HOSTILE.midDeep)).toBeDefined();
    for (const f of scan.files) expect(f.path).toBe(f.path.normalize('NFC'));
  });

  it('skips symlink loops, escapes, broken links and links to files it lists anyway', () => {
    expect(skipOf(HOSTILE.loop)?.code).toBe('symlink-loop');
    expect(skipOf(HOSTILE.selfLoop)?.code).toBe('symlink-loop');
    expect(skipOf(HOSTILE.escapeDir)?.code).toBe('symlink-outside');
    expect(skipOf(HOSTILE.escapeFile)?.code).toBe('symlink-outside');
    expect(skipOf(HOSTILE.broken)?.code).toBe('symlink-broken');
    expect(skipOf(HOSTILE.insideLink)?.code).toBe('symlink-inside');
    expect(scan.files.some((f) => f.abs.startsWith(folder.outside))).toBe(false);
  });

  it('never opens a FIFO', () => {
    expect(skipOf(HOSTILE.fifo)).toMatchObject({ code: 'not-regular', reason: expect.stringContaining('FIFO') });
  });

  it('never opens a device file', (ctx) => {
    if (folder.unavailable.device) ctx.skip(`no device file in the fixture: ${folder.unavailable.device}`);
    expect(skipOf(HOSTILE.device)).toMatchObject({ code: 'not-regular', reason: expect.stringContaining('device') });
  });

  it('stops at the depth limit and says where', () => {
    expect(skipOf(HOSTILE.tooDeep)?.code).toBe('too-deep');
    expect(fileOf(HOSTILE.deepFile)).toBeUndefined();
  });

  it('keeps one of two names that are equal after NFC and skips the other', () => {
    expect(fileOf(HOSTILE.nfc)).toBeDefined();
    expect(skipOf(HOSTILE.nfd)?.code).toBe('name-clash');
  });

  it('skips hidden files and folders without entering them', () => {
    expect(skipOf(HOSTILE.hiddenFile)?.code).toBe('hidden');
    expect(skipOf(HOSTILE.hiddenDir)?.code).toBe('hidden');
    expect(scan.files.some((f) => f.path.startsWith('.git/'))).toBe(false);
  });

  it('follows links outside the folder only when asked, and still detects loops there', async () => {
    const followed = await scanFolder(folder.root, { followOutside: true });
    expect(followed.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([HOSTILE.escapeFile, `${HOSTILE.escapeDir}/${OUTSIDE.secret}`]),
    );
    expect(followed.skipped.find((s) => s.path === `${HOSTILE.escapeDir}/${OUTSIDE.loop}`)?.code).toBe('symlink-loop');
  });

  it('bounds the walk by entry count', async () => {
    const limited = await scanFolder(folder.root, { maxEntries: 5 });
    expect(limited.files.length + limited.skipped.length).toBeLessThanOrEqual(6);
    expect(limited.skipped.find((s) => s.code === 'scan-limit')?.reason).toMatch(/stopped after 5 entries/);
  });

  it('sorts its lists by code point so reports do not depend on the machine', () => {
    const paths = scan.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
  });
});

describe('scanFolder refuses what is not a folder with a UserError', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'homegrown-scan-'));
    await writeFile(join(base, 'file.png'), 'x');
    await mkdir(join(base, 'empty'));
    await symlink('file.png', join(base, 'link-to-file'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('for a missing folder', async () => {
    await expect(scanFolder(join(base, 'missing'))).rejects.toThrow(UserError);
    await expect(scanFolder(join(base, 'missing'))).rejects.toThrow(/Folder not found: .*missing\. Check the path/);
  });

  it('for a file, even through a symlink', async () => {
    await expect(scanFolder(join(base, 'file.png'))).rejects.toThrow(/is a file, not a folder/);
    await expect(scanFolder(join(base, 'link-to-file'))).rejects.toThrow(UserError);
  });

  it('and returns nothing for an empty folder', async () => {
    expect(await scanFolder(join(base, 'empty'))).toMatchObject({ files: [], skipped: [] });
  });
});

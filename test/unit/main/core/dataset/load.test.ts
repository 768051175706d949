import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFolder } from '#core/dataset/doctor';
import { loadDataset, type LoadedDataset } from '#core/dataset/load';
import { UserError } from '#core/errors';
import { buildHostileFolder, HOSTILE, solid, RED, type HostileFolder } from '#test/fixtures/hostile-folder';

const SIZE = 16;
let folder: HostileFolder;
let scratch: string;
let loaded: LoadedDataset;

const imageOf = (data: LoadedDataset, path: string) => {
  const i = data.items.findIndex((item) => item.path === path);
  expect(i, path).toBeGreaterThanOrEqual(0);
  return data.images.read(i);
};
const pixel = (rgb: Uint8Array, x: number, y: number) => [...rgb.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3)];

beforeAll(async () => {
  folder = await buildHostileFolder();
  scratch = await mkdtemp(join(tmpdir(), 'homegrown-load-'));
  loaded = await loadDataset(folder.root, { size: SIZE });
});
afterAll(async () => {
  await folder.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe('loadDataset', () => {
  it('loads exactly the images the doctor accepts, with their captions, and skips the rest', async () => {
    const report = await examineFolder(folder.root);
    const accepted = report.files.filter((f) => f.status === 'accepted');
    expect(loaded.items).toEqual(accepted.map((f) => ({ path: f.path, caption: f.caption, captionSource: f.captionSource })));
    expect(loaded.skipped).toEqual(report.files.flatMap((f) => (f.status === 'skipped' ? [{ path: f.path, reason: f.reason }] : [])));
    expect(loaded).toMatchObject({ root: report.root, size: SIZE, fit: 'crop' });
  });

  it('returns size*size*3 sRGB 8-bit RGB bytes per item', () => {
    expect([loaded.images.count, loaded.images.stride]).toEqual([loaded.items.length, SIZE * SIZE * 3]);
    const cmyk = pixel(imageOf(loaded, HOSTILE.cmyk), 8, 8);
    expect(cmyk[0]).toBeGreaterThan(200);
    expect(Math.max(cmyk[1], cmyk[2])).toBeLessThan(60);
  });

  it('turns EXIF-rotated images upright', () => {
    const rotated = imageOf(loaded, HOSTILE.rotated);
    expect(pixel(rotated, 8, 1)[0]).toBeGreaterThan(200); // red on top
    expect(pixel(rotated, 8, 14)[2]).toBeGreaterThan(200); // blue below
  });

  it('crops by default and letterboxes with fit pad', async () => {
    const padded = await loadDataset(folder.root, { size: SIZE, fit: 'pad' });
    expect(padded.fit).toBe('pad');
    expect(pixel(imageOf(loaded, HOSTILE.plain), 8, 0)).toEqual([0, 255, 0]); // the green middle fills the square
    expect(pixel(imageOf(padded, HOSTILE.plain), 8, 0)).toEqual([255, 255, 255]); // white band above
  });

  it('reports progress up to the number of files', async () => {
    let last: [number, number] = [0, 0];
    await loadDataset(folder.root, { size: 8, onProgress: (done, total) => (last = [done, total]) });
    expect(last[0]).toBe(last[1]);
    expect(last[1]).toBeGreaterThan(20);
  });
});

describe('the decoded-image cache', () => {
  it('serves a second load from the cache, and notices a changed file', async () => {
    const cacheDir = join(scratch, 'cache');
    const first = await loadDataset(folder.root, { size: SIZE, cacheDir });
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.endsWith('.json') || f.endsWith('.rgb'))).toHaveLength(2);

    // Mark the cached pixels: if the second load shows the mark, it came from the cache.
    const rgbPath = join(cacheDir, files.find((f) => f.endsWith('.rgb'))!);
    const cached = await readFile(rgbPath);
    cached[cached.length - 1] ^= 0xff;
    await writeFile(rgbPath, cached);
    const second = await loadDataset(folder.root, { size: SIZE, cacheDir });
    expect(second.items).toEqual(first.items);
    expect(second.skipped).toEqual(first.skipped);
    // (first reads the same file, so the mark is looked for against the load without a cache.)
    const [before, after] = [loaded.images.readAll(), second.images.readAll()];
    expect(after.filter((v, i) => v !== before[i])).toHaveLength(1);

    const later = new Date(Date.now() + 5000);
    await utimes(join(folder.root, HOSTILE.plain), later, later);
    const third = await loadDataset(folder.root, { size: SIZE, cacheDir });
    expect(third.images.readAll()).toEqual(before);
  });

  it('keys the cache by size and fit', async () => {
    const cacheDir = join(scratch, 'cache-keys');
    await loadDataset(folder.root, { size: 8, cacheDir });
    await loadDataset(folder.root, { size: 8, fit: 'pad', cacheDir });
    const padded = await loadDataset(folder.root, { size: 8, fit: 'pad', cacheDir });
    expect([padded.images.count, padded.images.stride]).toEqual([padded.items.length, 8 * 8 * 3]);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.rgb'))).toHaveLength(2);
  });

  it('ignores a damaged cache and an unwritable cache folder', async () => {
    const cacheDir = join(scratch, 'cache-damaged');
    await loadDataset(folder.root, { size: 8, cacheDir });
    for (const f of await readdir(cacheDir)) await writeFile(join(cacheDir, f), 'garbage');
    expect((await loadDataset(folder.root, { size: 8, cacheDir })).items).toHaveLength(loaded.items.length);
    const blocked = join(scratch, 'a-file');
    await writeFile(blocked, '');
    expect((await loadDataset(folder.root, { size: 8, cacheDir: join(blocked, 'cache') })).items).toHaveLength(loaded.items.length);
  });
});

describe('loadDataset says what to do with a UserError', () => {
  const userError = async (promise: Promise<unknown>) => {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  };

  it('for a missing folder', async () => {
    expect(await userError(loadDataset(join(scratch, 'nope'), { size: SIZE }))).toMatch(/Folder not found/);
  });

  it('for a file instead of a folder', async () => {
    const file = join(scratch, 'one.png');
    await solid(8, 8, RED).png().toFile(file);
    expect(await userError(loadDataset(file, { size: SIZE }))).toMatch(/is a file, not a folder/);
  });

  it('for an empty folder', async () => {
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    expect(await userError(loadDataset(empty, { size: SIZE }))).toMatch(/is empty: put your images/);
  });

  it('for a folder with no readable images', async () => {
    const junk = join(scratch, 'junk');
    await mkdir(junk);
    await writeFile(join(junk, 'zero.png'), '');
    await writeFile(join(junk, 'text.jpg'), 'not a picture');
    await writeFile(join(junk, '.DS_Store'), 'x');
    expect(await userError(loadDataset(junk, { size: SIZE }))).toMatch(/No readable images .*3 files skipped.*homegrown doctor/);
  });

  it('for a training size that is not a size', async () => {
    expect(await userError(loadDataset(folder.root, { size: 12.5 }))).toMatch(/Training size/);
  });
});

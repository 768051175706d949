import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '#shared/rng';
import { captionTokens } from '#shared/text/tokenize';
import { DEFAULT_MAX_PIXELS } from '#core/dataset/decode';
import { examineFolder } from '#core/dataset/doctor';
import { decodeTrainingImage, loadDataset, type LoadedDataset } from '#core/dataset/load';
import { UserError } from '#core/errors';
import { buildVocabulary, captionBags, promptBag } from '#core/ml/text';
import { drawBatch, type TrainData } from '#core/ml/train';
import { buildHostileFolder, HOSTILE, pattern, solid, RED, type HostileFolder } from '#test/fixtures/hostile-folder';

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

  it('returns N*size*size*3 sRGB 8-bit RGB bytes in item order', () => {
    expect([loaded.images.count, loaded.images.stride]).toEqual([loaded.items.length, SIZE * SIZE * 3]);
    const cmyk = pixel(imageOf(loaded, HOSTILE.cmyk), 8, 8);
    expect(cmyk[0]).toBeGreaterThan(200);
    expect(Math.max(cmyk[1]!, cmyk[2]!)).toBeLessThan(60);
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
    const rgbPath = join(
      cacheDir,
      files.find((f) => f.endsWith('.rgb'))!,
    );
    const cached = await readFile(rgbPath);
    cached[cached.length - 1]! ^= 0xff;
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
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
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

describe('the streamed loader', () => {
  const names = Array.from({ length: 24 }, (_, i) => `${['red', 'blue', 'green'][i % 3]}_${['circle', 'square'][i % 2]}-${i}.png`);
  let shapes: string;
  beforeAll(async () => {
    shapes = join(scratch, 'shapes');
    await mkdir(shapes);
    for (const [i, name] of names.entries()) await pattern(40, 30, i).png().toFile(join(shapes, name));
  });

  it('draws the same batches, byte for byte, as one in-memory array and dense bags did', async () => {
    const streamed = await loadDataset(shapes, { size: SIZE });
    const cached = join(scratch, 'shapes-cache');
    await loadDataset(shapes, { size: SIZE, cacheDir: cached });
    const fromCache = await loadDataset(shapes, { size: SIZE, cacheDir: cached });
    // Before: every image decoded in item order into one array, and an images × vocabulary bag matrix.
    const report = await examineFolder(shapes, { nearDuplicates: false });
    const pixelArt = new Map(report.files.flatMap((f) => (f.status === 'accepted' ? [[f.path, f.pixelArt] as const] : [])));
    const px = SIZE * SIZE * 3;
    const images = new Uint8Array(streamed.items.length * px);
    for (const [i, item] of streamed.items.entries()) {
      images.set(
        await decodeTrainingImage(await readFile(join(shapes, item.path)), pixelArt.get(item.path)!, {
          size: SIZE,
          fit: 'crop',
          maxPixels: DEFAULT_MAX_PIXELS,
          channels: 3,
        }),
        i * px,
      );
    }
    const captions = streamed.items.map((i) => i.caption);
    const vocab = buildVocabulary(captions);
    const v = vocab.tokens.length;
    const dense = new Float32Array(captions.length * v);
    captions.forEach((c, i) =>
      dense.set(
        promptBag(
          vocab,
          [...new Set(captionTokens(c))].map((token) => ({ token, weight: 1 })),
        ).bag,
        i * v,
      ),
    );
    const base = { count: captions.length, size: SIZE, vocabSize: v };
    const before: TrainData = { ...base, images, bags: dense };
    for (const loaded of [streamed, fromCache]) {
      const now: TrainData = { ...base, images: loaded.images, bags: captionBags(vocab, captions) };
      for (const seed of [1, 2, 3]) {
        const [a, b] = [drawBatch(before, 8, new Rng(seed)), drawBatch(now, 8, new Rng(seed))];
        expect(Buffer.from(b.images.buffer).equals(Buffer.from(a.images.buffer))).toBe(true);
        expect(Buffer.from(b.bags.buffer).equals(Buffer.from(a.bags.buffer))).toBe(true);
      }
      expect(loaded.images.readAll()).toEqual(images);
    }
  });

  it('says the disk is full, in one line, when the decoded images do not fit', () => {
    // The child may write files of at most 32 KB; the decoded images need 24 × 12 KB.
    const script = `import { loadDataset } from '#core/dataset/load';
      await loadDataset(${JSON.stringify(shapes)}, { size: 64 }).then(() => console.log('loaded'), (e) => console.log(e.constructor.name, e.message));`;
    const r = spawnSync('bash', ['-c', 'ulimit -f 32; exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, script], {
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toMatch(
      /^UserError Cannot store the decoded images in .+: the disk is full \(this folder needs about 1 MB there\)\. Free some space and try again\.$/,
    );
  });

  it('holds no more pixels in memory however many images the folder has', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const side = 128;
    const measure = async (count: number) => {
      const dir = join(scratch, `flat-${count}`);
      await mkdir(dir);
      for (let i = 0; i < count; i++)
        await solid(side, side, [i % 256, (i * 7) % 256, (i * 13) % 256, 255])
          .png()
          .toFile(join(dir, `${i}.png`));
      gc();
      const start = process.memoryUsage().arrayBuffers;
      let peak = 0;
      const probe = (done = 0) => {
        if (done % 25 !== 0) return;
        gc();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - start);
      };
      const data = await loadDataset(dir, { size: side, onProgress: (done) => probe(done) });
      probe();
      const held = process.memoryUsage().arrayBuffers - start;
      expect(data.images.read(count - 1)).toHaveLength(side * side * 3);
      data.images.close();
      return { held, peak, pixels: count * side * side * 3 };
    };
    const small = await measure(100);
    const large = await measure(300);
    const mb = 2 ** 20;
    // 300 images are 14 MB of pixels: the loader keeps none of them and decodes only a few at a time.
    expect(large.pixels).toBeGreaterThan(14 * mb);
    expect(large.held).toBeLessThan(mb);
    expect(large.peak).toBeLessThan(4 * mb);
    expect(large.held - small.held).toBeLessThan(mb / 2);
  });
});

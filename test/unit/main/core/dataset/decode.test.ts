import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSquare,
  decodeThumbnail,
  DEFAULT_MAX_PIXELS,
  encodeNormalisedPng,
  hasAcceptedSignature,
  readHeader,
  restrictDecoders,
  THUMBNAIL_SIDE,
  type Fit,
} from '#core/dataset/decode';
import { ImageRejected } from '#core/dataset/skip';
import { buildHostileFolder, HOSTILE, type HostileFolder } from '#test/fixtures/hostile-folder';

let folder: HostileFolder;
const bytesOf = (rel: string) => readFile(join(folder.root, rel));
const header = async (rel: string, maxPixels = DEFAULT_MAX_PIXELS) => readHeader(await bytesOf(rel), maxPixels);
const square = async (rel: string, size: number, fit: Fit = 'crop') =>
  decodeSquare(await bytesOf(rel), { size, fit, maxPixels: DEFAULT_MAX_PIXELS });
const pixel = (rgb: Uint8Array, size: number, x: number, y: number) => [...rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => (err instanceof ImageRejected ? { code: err.code, reason: err.message } : Promise.reject(err)),
  );

// JPEG and colour conversion move values a little: compare colours with a tolerance.
function expectColour(actual: number[], expected: number[], tolerance = 40) {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance));
}
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];

beforeAll(async () => {
  folder = await buildHostileFolder();
});
afterAll(() => folder.cleanup());

describe('readHeader', () => {
  it.each([
    [HOSTILE.plain, { format: 'png', width: 64, height: 32, mode: 'RGB', bitDepth: 8 }],
    [HOSTILE.jpeg, { format: 'jpeg', mode: 'RGB' }],
    [HOSTILE.webp, { format: 'webp' }],
    [HOSTILE.tiff, { format: 'tiff' }],
    [HOSTILE.avif, { format: 'avif' }],
    [HOSTILE.cmyk, { format: 'jpeg', mode: 'CMYK' }],
    [HOSTILE.sixteenBit, { format: 'png', mode: 'RGB', bitDepth: 16 }],
    [HOSTILE.palette, { format: 'png', palette: true }],
    [HOSTILE.grey, { mode: 'grey' }],
    [HOSTILE.alpha, { mode: 'RGBA', hasAlpha: true }],
    [HOSTILE.animatedGif, { format: 'gif', frames: 2, width: 16, height: 16 }],
    [HOSTILE.animatedWebp, { format: 'webp', frames: 2, width: 16, height: 16 }],
    [HOSTILE.rotated, { format: 'jpeg', orientation: 6, width: 16, height: 32 }],
  ])('describes %s', async (rel, expected) => {
    expect(await header(rel)).toMatchObject(expected);
  });

  it('refuses a decompression bomb by its header, quickly, saying the claimed size', async () => {
    const started = performance.now();
    const refused = await rejection(header(HOSTILE.bomb));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refused).toMatchObject({ code: 'too-many-pixels', reason: expect.stringContaining('100000×100000') });
  });

  it('takes a configurable pixel limit', async () => {
    expect(await rejection(header(HOSTILE.plain, 64 * 32 - 1))).toMatchObject({ code: 'too-many-pixels' });
    expect(await header(HOSTILE.plain, 64 * 32)).toMatchObject({ width: 64 });
  });

  it('calls text and SVG (whose decoder is blocked) "not an image"', async () => {
    expect(await rejection(header(HOSTILE.textAsPng))).toMatchObject({ code: 'not-image' });
    expect(await rejection(header(HOSTILE.svgAsPng))).toMatchObject({ code: 'not-image' });
  });

  it('lets only the signatures of accepted formats through to sharp', async () => {
    for (const rel of [HOSTILE.plain, HOSTILE.jpeg, HOSTILE.webp, HOSTILE.tiff, HOSTILE.avif, HOSTILE.animatedGif]) {
      expect(hasAcceptedSignature(await bytesOf(rel)), rel).toBe(true);
    }
    for (const rel of [HOSTILE.svg, HOSTILE.svgAsPng, HOSTILE.textAsPng]) expect(hasAcceptedSignature(await bytesOf(rel)), rel).toBe(false);
  });

  it('can switch off every other decoder in sharp, process-wide', async () => {
    const svg = await bytesOf(HOSTILE.svg);
    expect((await sharp(svg).metadata()).format).toBe('svg');
    restrictDecoders();
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/);
    for (const rel of [HOSTILE.plain, HOSTILE.jpeg, HOSTILE.webp, HOSTILE.tiff, HOSTILE.avif, HOSTILE.animatedGif]) {
      expect(await header(rel), rel).toBeDefined();
    }
  });
});

describe('decoding refuses damaged data', () => {
  it.each([HOSTILE.truncatedPng, HOSTILE.truncatedJpeg])('%s', async (rel) => {
    const bytes = await bytesOf(rel);
    const refused = await rejection(readHeader(bytes, DEFAULT_MAX_PIXELS).then(() => decodeThumbnail(bytes, DEFAULT_MAX_PIXELS)));
    expect(refused).toMatchObject({ code: 'damaged' });
    expect(refused!.reason).not.toContain('\n');
  });
});

describe('decodeSquare', () => {
  // plain.png is 64×32: red quarter | green half | blue quarter.
  it('center-crops by default', async () => {
    const rgb = await square(HOSTILE.plain, 16);
    expect(rgb).toBeInstanceOf(Uint8Array);
    expect(rgb.length).toBe(16 * 16 * 3);
    // The resampling kernel bleeds a little red and blue into the edge columns, so look just inside them.
    for (const [x, y] of [
      [2, 0],
      [13, 0],
      [2, 15],
      [13, 15],
      [8, 8],
    ])
      expectColour(pixel(rgb, 16, x!, y!), GREEN, 10);
  });

  it('letterboxes with white when asked to pad', async () => {
    const rgb = await square(HOSTILE.plain, 16, 'pad');
    expectColour(pixel(rgb, 16, 8, 0), WHITE, 10);
    expectColour(pixel(rgb, 16, 8, 15), WHITE, 10);
    expectColour(pixel(rgb, 16, 1, 8), RED, 10);
    expectColour(pixel(rgb, 16, 8, 8), GREEN, 10);
    expectColour(pixel(rgb, 16, 14, 8), BLUE, 10);
  });

  it('honours EXIF orientation (stored red | blue, displayed red over blue)', async () => {
    const rgb = await square(HOSTILE.rotated, 16);
    expectColour(pixel(rgb, 16, 8, 1), RED);
    expectColour(pixel(rgb, 16, 8, 14), BLUE);
    expectColour(pixel(rgb, 16, 1, 1), pixel(rgb, 16, 14, 1), 10); // rows are uniform: not left | right
  });

  it('turns CMYK, 16-bit, grey and palette images into sRGB 8-bit RGB', async () => {
    expectColour(pixel(await square(HOSTILE.cmyk, 8), 8, 4, 4), RED, 50);
    expectColour(pixel(await square(HOSTILE.sixteenBit, 8), 8, 4, 4), [128, 64, 255], 1);
    const grey = pixel(await square(HOSTILE.grey, 8), 8, 4, 4);
    expectColour(grey, [128, 128, 128], 2);
    const palette = await square(HOSTILE.palette, 8, 'pad');
    expectColour(pixel(palette, 8, 1, 4), RED, 10);
    expectColour(pixel(palette, 8, 6, 4), BLUE, 10);
  });

  it('converts colours from an embedded ICC profile to sRGB', async () => {
    const bytes = await bytesOf(HOSTILE.wideGamut);
    const stored = await sharp(bytes, { ignoreIcc: true }).raw().toBuffer();
    expect(Math.abs(stored[0]! - 200)).toBeGreaterThan(5); // the file really holds other numbers
    expectColour(pixel(await square(HOSTILE.wideGamut, 8), 8, 4, 4), [200, 100, 50], 2);
  });

  it('reads the first frame of an animation only', async () => {
    expectColour(pixel(await square(HOSTILE.animatedGif, 8), 8, 4, 4), RED, 10);
    expectColour(pixel(await square(HOSTILE.animatedWebp, 8), 8, 4, 4), RED, 10);
  });

  it('flattens transparency onto white', async () => {
    const rgb = await square(HOSTILE.alpha, 8);
    expectColour(pixel(rgb, 8, 1, 4), WHITE, 10);
    expectColour(pixel(rgb, 8, 6, 4), RED, 10);
  });
});

describe('decodeThumbnail', () => {
  it('is a small RGBA square keeping transparency', async () => {
    const rgba = await decodeThumbnail(await bytesOf(HOSTILE.alpha), DEFAULT_MAX_PIXELS);
    expect(rgba.length).toBe(THUMBNAIL_SIDE * THUMBNAIL_SIDE * 4);
    expect(rgba[3]).toBe(0);
    expect(rgba[rgba.length - 1]).toBe(255);
  });
});

describe('encodeNormalisedPng', () => {
  it.each([HOSTILE.cmyk, HOSTILE.sixteenBit, HOSTILE.rotated, HOSTILE.animatedGif, HOSTILE.grey])(
    'writes %s as an upright sRGB 8-bit PNG',
    async (rel) => {
      const before = await header(rel);
      const png = await encodeNormalisedPng(await bytesOf(rel), { maxPixels: DEFAULT_MAX_PIXELS, keepAlpha: false });
      const meta = await sharp(png).metadata();
      expect(meta).toMatchObject({ format: 'png', space: 'srgb', depth: 'uchar', channels: 3, width: before.width, height: before.height });
      expect(meta.orientation ?? 1).toBe(1);
      expect(meta.pages ?? 1).toBe(1);
    },
  );

  it('keeps alpha when it is used', async () => {
    const png = await encodeNormalisedPng(await bytesOf(HOSTILE.alpha), { maxPixels: DEFAULT_MAX_PIXELS, keepAlpha: true });
    expect(await sharp(png).metadata()).toMatchObject({ channels: 4, hasAlpha: true });
  });
});

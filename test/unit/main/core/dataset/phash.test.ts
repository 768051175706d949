import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeThumbnail, DEFAULT_MAX_PIXELS, THUMBNAIL_SIDE } from '#core/dataset/decode';
import {
  areNearDuplicates,
  DETAIL_SIDE,
  hammingDistance,
  NEAR_DUPLICATE_BITS,
  nearDuplicateGroups,
  signatureOf,
  type ImageSignature,
} from '#core/dataset/phash';
import { BLUE, paint, pattern, RED, WHITE, type Rgba } from '#test/fixtures/hostile-folder';
import { unitSprite } from '#test/fixtures/unit-sprites';

async function signature(image: Sharp): Promise<ImageSignature> {
  const png = await image.png().toBuffer();
  return signatureOf(
    await decodeThumbnail(png, DEFAULT_MAX_PIXELS),
    THUMBNAIL_SIDE,
    await decodeThumbnail(png, DEFAULT_MAX_PIXELS, DETAIL_SIDE),
  );
}

describe('perceptual hash', () => {
  it('is 64 bits as 16 hex digits, and counts differing bits', () => {
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('00000000000000f0', '0000000000000010')).toBe(3);
  });

  it('sees a resized, recompressed copy as a near-duplicate, and other pictures as different', async () => {
    const original = await signature(pattern(120, 90, 3));
    const copy = await signature(sharp(await pattern(120, 90, 3).jpeg({ quality: 60 }).toBuffer()).resize(61, 45));
    const other = await signature(pattern(120, 90, 7));
    expect(areNearDuplicates(original, copy)).toBe(true);
    expect(areNearDuplicates(original, other)).toBe(false);
  });

  it('keeps recoloured variants apart: a red and a blue circle hash alike but are not duplicates', async () => {
    const circle = (colour: Rgba) => paint(64, 64, (x, y) => ((x - 32) ** 2 + (y - 32) ** 2 < 400 ? colour : WHITE));
    const [red, blue] = [await signature(circle(RED)), await signature(circle(BLUE))];
    expect(hammingDistance(red.hash, blue.hash)).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(areNearDuplicates(red, blue)).toBe(false);
    expect(areNearDuplicates(red, await signature(circle([250, 10, 10, 255])))).toBe(true);
  });
});

describe('near-duplicate sprites', () => {
  it('keeps 49 different units of one sprite set apart, and finds re-saved or upscaled copies', async () => {
    const units = await Promise.all(
      Array.from({ length: 49 }, async (_, k) => ({ path: `unit-${k}.png`, signature: await signature(unitSprite(k)) })),
    );
    expect(nearDuplicateGroups(units)).toEqual([]);
    const copies = await Promise.all(
      [0, 10, 33, 45]
        .flatMap((k) => [
          { path: `unit-${k}-x2.png`, image: unitSprite(k).resize(64, 64, { kernel: 'nearest' }).png() },
          { path: `unit-${k}-x4.png`, image: unitSprite(k).resize(128, 128, { kernel: 'nearest' }).png() },
          { path: `unit-${k}.jpg`, image: unitSprite(k).flatten({ background: '#ffffff' }).jpeg({ quality: 85 }) },
        ])
        .map(async (c) => ({ path: c.path, signature: await signature(sharp(await c.image.toBuffer())) })),
    );
    expect(nearDuplicateGroups([...units, ...copies])).toEqual(
      [0, 10, 33, 45]
        .map((k) => [`unit-${k}-x2.png`, `unit-${k}-x4.png`, `unit-${k}.jpg`, `unit-${k}.png`])
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });
});

describe('nearDuplicateGroups', () => {
  const blank = new Uint8Array(DETAIL_SIDE * DETAIL_SIDE * 3);
  const sig = (hash: string, colour: [number, number, number] = [100, 100, 100], detail = blank) => ({ hash, colour, detail });

  it('groups close hashes transitively and leaves the rest alone', () => {
    const groups = nearDuplicateGroups([
      { path: 'b.png', signature: sig('0000000000000000') },
      { path: 'a.png', signature: sig('0000000000000007') }, // 3 bits from b
      { path: 'c.png', signature: sig('ffffffffffffffff') },
      { path: 'd.png', signature: sig('fffffffffffffffe') }, // 1 bit from c
      { path: 'e.png', signature: sig('00000000ffff0000') }, // 16 bits from b
      { path: 'g.png', signature: sig('00000000000001ff') }, // 9 bits from b: just too far
      { path: 'f.png', signature: sig('0000000000000000', [200, 100, 100]) }, // same hash, other colour
      {
        path: 'h.png',
        signature: sig(
          '0000000000000000',
          [100, 100, 100],
          blank.map((v, i) => (i < 15 ? 255 : v)),
        ),
      }, // 5 pixels differ
    ]);
    expect(groups).toEqual([
      ['a.png', 'b.png'],
      ['c.png', 'd.png'],
    ]);
  });

  it('stays fast on many identical and many distinct hashes', () => {
    const images = Array.from({ length: 20_000 }, (_, i) => ({
      path: `${i}.png`,
      signature: sig(i % 2 ? '0123456789abcdef' : ((BigInt(i) * 0x9e3779b97f4a7c15n) % 2n ** 64n).toString(16).padStart(16, '0')),
    }));
    const started = performance.now();
    const groups = nearDuplicateGroups(images);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(groups.find((g) => g.includes('1.png'))).toHaveLength(10_000);
  });
});

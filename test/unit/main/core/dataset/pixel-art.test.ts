import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFolder } from '#core/dataset/doctor';
import { loadDataset } from '#core/dataset/load';
import { detectPixelArt, squarePixelArt } from '#core/dataset/pixel-art';
import { openmojiCodes, pixelSprite, renderSymbol, scaleUp, writePixelArtFolder } from '#test/fixtures/pixel-art-folder';

let scratch: string;
let codes: string[];
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'homegrown-pixel-art-'));
  codes = await openmojiCodes(12);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const colours = (rgba: Uint8Array) => {
  const set = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i + 3]) set.add((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!);
  return set;
};

describe('pixel art detection on real images', () => {
  it('anti-aliased OpenMoji renders are not pixel art, on transparency or on white', async () => {
    for (const code of codes) {
      for (const img of [await renderSymbol(code, 64), (await renderSymbol(code, 72)).flatten({ background: '#fff' }).ensureAlpha()]) {
        const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
        expect(detectPixelArt(new Uint8Array(data), info.width, info.height).pixelArt, code).toBe(false);
      }
    }
  });

  it('the same symbols as 16-colour sprites are, at their own size and scaled up 3× (judged at 24 px)', async () => {
    for (const code of codes) {
      const native = await pixelSprite(code, 24);
      expect(detectPixelArt(native, 24, 24), code).toMatchObject({ pixelArt: true, block: 1 });
      expect(detectPixelArt(scaleUp(native, 24, 3), 72, 72), code).toMatchObject({ pixelArt: true, block: 3 });
    }
  });
});

describe('resizing pixel art', () => {
  it('keeps a sprite at its own size byte for byte, scales up by whole pixels, and boxes a 3× sprite back exactly', async () => {
    const small = await pixelSprite(codes[0]!, 24);
    const big = scaleUp(small, 24, 3);
    expect(squarePixelArt(big, 72, 72, 72, 'crop')).toEqual(big);
    expect(squarePixelArt(small, 24, 24, 72, 'crop')).toEqual(big);
    const down = squarePixelArt(big, 72, 72, 24, 'crop');
    // Fully transparent pixels carry no colour; every visible one comes back exactly.
    for (let i = 0; i < down.length; i += 4) if (small[i + 3]) expect([...down.subarray(i, i + 4)]).toEqual([...small.subarray(i, i + 4)]);
  });

  it('crops to the centre square or pads onto transparency', () => {
    // 4 × 2: left half red, right half blue.
    const red = [255, 0, 0, 255];
    const blue = [0, 0, 255, 255];
    const img = Uint8Array.from([...red, ...red, ...blue, ...blue, ...red, ...red, ...blue, ...blue]);
    expect([...squarePixelArt(img, 4, 2, 2, 'crop')]).toEqual([...red, ...blue, ...red, ...blue]);
    const padded = squarePixelArt(img, 4, 2, 4, 'pad');
    expect([...padded.subarray(0, 16)]).toEqual(Array(16).fill(0));
    expect([...padded.subarray(16, 32)]).toEqual([...red, ...red, ...blue, ...blue]);
  });
});

describe('the Doctor and the loader on a pixel-art folder', () => {
  it('notes the pixel art and the odd sizes, and trains on the sprites’ own colours only', async () => {
    const dir = join(scratch, 'sprites');
    const files = await writePixelArtFolder(dir, codes.slice(0, 6), 24, 3);
    // One sprite on a wider canvas: not square.
    await sharp(files[0])
      .extend({ left: 8, right: 8, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .toFile(join(dir, 'wide.png'));
    const report = await examineFolder(dir);
    const note = (problem: RegExp) => report.summary.fixes.find((f) => problem.test(f.problem));
    expect(note(/^pixel art/)).toMatchObject({ count: 7, kind: 'note' });
    expect(note(/not square/)).toMatchObject({ count: 1, kind: 'note', examples: ['wide.png'] });
    expect(note(/another size than most \(72×72\)/)).toMatchObject({ count: 1, examples: ['wide.png'] });

    const loaded = await loadDataset(dir, { size: 72, alpha: 'on' });
    try {
      const sources = new Set<number>();
      for (const f of files) for (const c of colours(new Uint8Array(await sharp(f).raw().toBuffer()))) sources.add(c);
      const trained = colours(loaded.images.readAll());
      expect([...trained].filter((c) => !sources.has(c))).toEqual([]);
    } finally {
      loaded.images.close();
    }
  });
});

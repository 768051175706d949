import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usesAlpha } from '#core/dataset/alpha';
import { loadDataset } from '#core/dataset/load';
import { buildAlphaFolder } from '#test/fixtures/alpha-folder';
import { buildCaptionedFolder } from '#test/fixtures/captioned-folder';

let alphaDir: { root: string; cleanup: () => Promise<void> };
let rgbDir: { root: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  alphaDir = await buildAlphaFolder(4);
  rgbDir = await buildCaptionedFolder();
});
afterAll(async () => {
  await alphaDir.cleanup();
  await rgbDir.cleanup();
});

function alphaValues(rgba: Uint8Array): Set<number> {
  const s = new Set<number>();
  for (let i = 3; i < rgba.length; i += 4) s.add(rgba[i]!);
  return s;
}

describe('usesAlpha', () => {
  it('needs at least 1 % of pixels below full opacity', () => {
    const img = new Uint8Array(100 * 4).fill(255);
    expect(usesAlpha(img)).toBe(false);
    img[3] = 254; // 1 pixel of 100 = 1 %
    expect(usesAlpha(img)).toBe(true);
    const big = new Uint8Array(1000 * 4).fill(255);
    big[3] = 0; // 0.1 %: a stray pixel
    expect(usesAlpha(big)).toBe(false);
  });
});

describe('loadDataset alpha', () => {
  it('keeps straight RGBA for a dataset of shapes on transparent backgrounds', async () => {
    const d = await loadDataset(alphaDir.root, { size: 32, alpha: 'auto' });
    expect(d.channels).toBe(4);
    expect([d.images.count, d.images.stride]).toEqual([4, 32 * 32 * 4]);
    const first = d.images.read(0);
    const alphas = alphaValues(first);
    expect(alphas.has(0)).toBe(true);
    expect(alphas.has(255)).toBe(true);
    expect([...alphas].some((a) => a > 40 && a < 215)).toBe(true); // the soft edge ring
    // The centre of the first image (items sort by path: a blue square) is opaque blue.
    const c = (16 * 32 + 16) * 4;
    expect([...first.subarray(c, c + 4)]).toEqual([32, 64, 224, 255]);
  });

  it('flattens onto white with alpha off, and the same folder cached keeps its channel count', async () => {
    const off = await loadDataset(alphaDir.root, { size: 32 });
    expect(off.channels).toBe(3);
    expect(off.images.read(0)[0]).toBe(255); // transparent corner → white
    const cacheDir = `${alphaDir.root}-cache`;
    const a = await loadDataset(alphaDir.root, { size: 32, alpha: 'auto', cacheDir });
    const b = await loadDataset(alphaDir.root, { size: 32, alpha: 'auto', cacheDir });
    const c = await loadDataset(alphaDir.root, { size: 32, alpha: 'off', cacheDir });
    expect(b.channels).toBe(4);
    expect(Buffer.from(b.images.readAll()).equals(Buffer.from(a.images.readAll()))).toBe(true);
    expect(c.channels).toBe(3);
    expect(Buffer.from(c.images.readAll()).equals(Buffer.from(off.images.readAll()))).toBe(true);
  });

  it('leaves an opaque RGB dataset 3-channel and byte-identical under auto', async () => {
    const off = await loadDataset(rgbDir.root, { size: 16 });
    const auto = await loadDataset(rgbDir.root, { size: 16, alpha: 'auto' });
    expect(auto.channels).toBe(3);
    expect(Buffer.from(auto.images.readAll()).equals(Buffer.from(off.images.readAll()))).toBe(true);
  });

  it('alpha on makes an opaque dataset RGBA with alpha 255', async () => {
    const on = await loadDataset(rgbDir.root, { size: 16, alpha: 'on' });
    expect(on.channels).toBe(4);
    expect([...alphaValues(on.images.readAll())]).toEqual([255]);
  });
});

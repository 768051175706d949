import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '#core/dataset/load';
import { parseConfig } from '#core/ml/config';
import { resolveSnap, snapSample } from '#core/runs/snap';
import { Rng } from '#shared/rng';
import { openmojiCodes, writePixelArtFolder } from '#test/fixtures/pixel-art-folder';
import { shapesFolder } from '#test/fixtures/app-service';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'homegrown-snap-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('snapping samples to the training palette', () => {
  it('a pixel-art folder turns snap on with its own palette; samples then hold only its colours and hard alpha', async () => {
    const dir = join(scratch, 'sprites');
    await writePixelArtFolder(dir, await openmojiCodes(4), 24);
    const dataset = await loadDataset(dir, { size: 24, alpha: 'on' });
    try {
      const resolved = resolveSnap(parseConfig({ size: 24 }), dataset);
      expect(resolved.snap).toBe('on');
      expect(resolved.palette.length).toBeGreaterThan(1);
      const cfg = { size: 24, ...resolved };
      const rng = new Rng(3);
      const noise = Uint8Array.from({ length: 24 * 24 * 4 }, () => rng.int(256));
      const snapped = snapSample(noise, cfg);
      const allowed = new Set(resolved.palette);
      for (let i = 0; i < snapped.length; i += 4) {
        const hex = `#${[...snapped.subarray(i, i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
        expect(allowed.has(hex)).toBe(true);
        expect([0, 255]).toContain(snapped[i + 3]);
      }
      const rgb = snapSample(noise.subarray(0, 24 * 24 * 3), cfg);
      expect(rgb).toHaveLength(24 * 24 * 3);
    } finally {
      dataset.images.close();
    }
  }, 60_000);

  it('leaves samples alone when snap is off, and an explicit palette wins over the folder', async () => {
    const dataset = await loadDataset(await shapesFolder(join(scratch, 'shapes')), { size: 32 });
    try {
      expect(resolveSnap(parseConfig({ snap: 'off' }), dataset)).toEqual({ snap: 'off', palette: [] });
      expect(resolveSnap(parseConfig({ snap: 'on', palette: '#000000,#ffffff' }), dataset)).toEqual({
        snap: 'on',
        palette: ['#000000', '#ffffff'],
      });
      const pixels = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => i % 256);
      expect(snapSample(pixels, { size: 32, snap: 'off', palette: ['#000000', '#ffffff'] })).toBe(pixels);
      expect(new Set(snapSample(pixels, { size: 32, snap: 'on', palette: ['#000000', '#ffffff'] }))).toEqual(new Set([0, 255]));
    } finally {
      dataset.images.close();
    }
  }, 60_000);
});

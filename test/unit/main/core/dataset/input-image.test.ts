import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputImage } from '#core/dataset/input-image';
import { UserError } from '#core/errors';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-input-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('loadInputImage', () => {
  it('decodes any accepted image to the training size, cropped like training images, with its file hash', async () => {
    // 60×30: left half red, right half blue; a centre crop keeps both halves, a pad adds white bars.
    const raw = Buffer.alloc(60 * 30 * 3);
    for (let y = 0; y < 30; y++) for (let x = 0; x < 60; x++) raw.set(x < 30 ? [255, 0, 0] : [0, 0, 255], (y * 60 + x) * 3);
    const file = path.join(dir, 'wide.jpg');
    const bytes = await sharp(raw, { raw: { width: 60, height: 30, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    await fs.writeFile(file, bytes);
    const crop = await loadInputImage(file, { size: 16, fit: 'crop' });
    expect(crop.pixels.length).toBe(16 * 16 * 3);
    expect(crop.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(crop.pixels[(8 * 16 + 1) * 3]).toBeGreaterThan(200); // left: red
    expect(crop.pixels[(8 * 16 + 14) * 3 + 2]).toBeGreaterThan(200); // right: blue
    const pad = await loadInputImage(file, { size: 16, fit: 'pad' });
    expect([...pad.pixels.subarray(0, 3)]).toEqual([255, 255, 255]); // top bar
  });

  it('answers files that are not images, missing files and folders with a one-line UserError', async () => {
    const text = path.join(dir, 'notes.png');
    await fs.writeFile(text, 'just text');
    await expect(loadInputImage(text, { size: 16, fit: 'crop' })).rejects.toThrow(
      new UserError(`${text}: not an image: the contents are not PNG, JPEG, WebP, GIF, TIFF or AVIF`),
    );
    await expect(loadInputImage(path.join(dir, 'nope.png'), { size: 16, fit: 'crop' })).rejects.toThrow(
      /cannot read .*nope\.png: no such file$/,
    );
    await expect(loadInputImage(dir, { size: 16, fit: 'crop' })).rejects.toThrow(/cannot read .*: it is a folder$/);
    const truncated = path.join(dir, 'cut.png');
    const png = await sharp(Buffer.alloc(32 * 32 * 3, 7), { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toBuffer();
    await fs.writeFile(truncated, png.subarray(0, 60));
    await expect(loadInputImage(truncated, { size: 16, fit: 'crop' })).rejects.toBeInstanceOf(UserError);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeGif,
  encodeStrip,
  encodeWebp,
  type FrameSet,
  readGifComments,
  readGifRecipe,
  readWebpRecipe,
  writeAnimation,
} from '#core/media/animation';
import { readRecipe } from '#core/media/png-meta';
import type { Recipe } from '#shared/recipe';

const recipe: Recipe = {
  prompt: 'red, circle',
  negative: '',
  seed: 1,
  model: 'vae',
  run: 'shapes-vae32',
  checkpoint: 'cd'.repeat(32),
  step: 300,
  size: 16,
  backend: 'wasm',
  appVersion: '0.1.0',
  frames: 5,
  toPrompt: 'blue, 方形 "square"',
  toSeed: 2,
};

/** Five 16×12 frames: a 4 px red square moving right over a grey background, a different shade each frame. */
function frames(n = 5, w = 16, h = 12): FrameSet {
  return {
    width: w,
    height: h,
    frames: Array.from({ length: n }, (_, i) => {
      const f = new Uint8Array(w * h * 3).fill(40 + i * 10);
      for (let y = 4; y < 8; y++) for (let x = i * 3; x < i * 3 + 4; x++) f.set([230, 20, 20], (y * w + x) * 3);
      return f;
    }),
  };
}

async function decodeFrames(file: Buffer) {
  const { data, info } = await sharp(file, { animated: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, info, meta: await sharp(file, { animated: true }).metadata() };
}

describe('animated WebP', () => {
  it('decodes back to the exact frames, with the frame count, delays and recipe', async () => {
    const set = frames();
    const webp = await encodeWebp(set, recipe, { delayMs: 80 });
    const { data, meta } = await decodeFrames(webp);
    expect(meta.format).toBe('webp');
    expect(meta.pages).toBe(5);
    expect(meta.pageHeight).toBe(12);
    expect(meta.delay).toEqual([80, 80, 80, 80, 80]);
    expect(Buffer.from(data).equals(Buffer.concat(set.frames))).toBe(true);
    expect(await readWebpRecipe(webp)).toEqual(recipe);
  });

  it('enlarges with nearest neighbour when asked', async () => {
    const set = frames();
    const webp = await encodeWebp(set, recipe, { scale: 3 });
    const { data, meta } = await decodeFrames(webp);
    expect([meta.width, meta.pageHeight, meta.pages]).toEqual([48, 36, 5]);
    // Every output pixel of frame f is the source pixel (x / 3, y / 3) of frame f.
    for (const [f, x, y] of [
      [0, 0, 0],
      [2, 20, 13],
      [4, 47, 35],
      [1, 10, 14],
    ]) {
      const src = (Math.floor(y! / 3) * 16 + Math.floor(x! / 3)) * 3;
      const out = (f! * 48 * 36 + y! * 48 + x!) * 3;
      expect([...data.subarray(out, out + 3)]).toEqual([...set.frames[f!]!.subarray(src, src + 3)]);
    }
  });
});

describe('animated GIF', () => {
  it('decodes back with the frame count and close colours, and carries the recipe in comments', async () => {
    const set = frames();
    const gif = await encodeGif(set, recipe, { delayMs: 120 });
    const { data, meta } = await decodeFrames(gif);
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBe(5);
    expect(meta.delay).toEqual([120, 120, 120, 120, 120]);
    // Few colours: the palette holds them all, so frames come back exactly.
    expect(Buffer.from(data).equals(Buffer.concat(set.frames))).toBe(true);
    expect(readGifRecipe(gif)).toEqual(recipe);
    expect(readGifComments(gif)[0]).toMatch(
      /^red, circle\nSteps: 300, Seed: 1, .*Walk to: "blue, 方形 'square'", Walk to seed: 2, Frames: 5$/,
    );
  });

  it('keeps equal frames as separate frames', async () => {
    const one = frames(1).frames[0];
    const gif = await encodeGif({ width: 16, height: 12, frames: [one!, one!, one!] }, recipe);
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(3);
  });

  it('reads a recipe longer than one 255-byte sub-block', async () => {
    const long = { ...recipe, prompt: 'red, '.repeat(200) };
    expect(readGifRecipe(await encodeGif(frames(2), long))?.prompt).toBe(long.prompt);
  });

  it('finds no recipe in a GIF that has none', async () => {
    const plain = await sharp(Buffer.alloc(8 * 8 * 3, 9), { raw: { width: 8, height: 8, channels: 3 } })
      .gif()
      .toBuffer();
    expect(readGifRecipe(plain)).toBeUndefined();
  });
});

describe('sprite strip', () => {
  it('lays the frames left to right without gaps and carries the recipe', async () => {
    const set = frames(3);
    const strip = await encodeStrip(set, recipe);
    const { data, info } = await sharp(strip).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([48, 12]);
    for (let i = 0; i < 3; i++) {
      for (let y = 0; y < 12; y++) {
        const row = data.subarray((y * 48 + i * 16) * 3, (y * 48 + i * 16 + 16) * 3);
        expect(Buffer.from(row).equals(Buffer.from(set.frames[i]!.subarray(y * 48, y * 48 + 48)))).toBe(true);
      }
    }
    expect(readRecipe(strip).recipe).toEqual(recipe);
  });
});

describe('writeAnimation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-anim-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('writes frames with their own recipes, GIF, WebP and strip into a new folder, never over an old one', async () => {
    const set = frames();
    const a = await writeAnimation(dir, 'walk', set, recipe);
    expect(path.basename(a.dir)).toBe('walk');
    expect((await fs.readdir(a.dir)).sort()).toEqual([
      'animation.gif',
      'animation.webp',
      'frame-01.png',
      'frame-02.png',
      'frame-03.png',
      'frame-04.png',
      'frame-05.png',
      'strip.png',
    ]);
    const third = await fs.readFile(a.frames[2]!);
    expect(readRecipe(third).recipe).toEqual({ ...recipe, frame: 2 });
    expect(readRecipe(third).parameters).toMatch(/Frame: 3\/5$/);
    expect(Buffer.from(await sharp(third).raw().toBuffer()).equals(Buffer.from(set.frames[2]!))).toBe(true);
    expect(readGifRecipe(await fs.readFile(a.gif))).toEqual(recipe);
    expect(await readWebpRecipe(await fs.readFile(a.webp))).toEqual(recipe);

    const before = await fs.readFile(a.gif);
    const again = await writeAnimation(dir, 'walk', frames(2), recipe);
    expect(path.basename(again.dir)).toBe('walk-2');
    expect((await fs.readFile(a.gif)).equals(before)).toBe(true);
  });

  it('uses per-frame recipes when given', async () => {
    const frameRecipes = [0, 1].map((i) => ({ ...recipe, seed: 10 + i }));
    const a = await writeAnimation(dir, 'seeds', frames(2), recipe, { frameRecipes });
    expect(readRecipe(await fs.readFile(a.frames[1]!)).recipe?.seed).toBe(11);
  });

  it('refuses frames of the wrong size', async () => {
    await expect(writeAnimation(dir, 'bad', { width: 16, height: 12, frames: [new Uint8Array(10)] }, recipe)).rejects.toThrow(
      /frame of 10 bytes/,
    );
  });
});

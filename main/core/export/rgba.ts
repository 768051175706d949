// 8-bit RGBA images in memory, the common form for every export operation (trim, key-out, palette,
// upscale, packing): decoded once with sharp, changed with small loops, encoded once.
import sharp, { type Sharp } from 'sharp';

export interface RgbaImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export async function decodeRgba(bytes: Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** A sharp pipeline over the pixels, ready for encoding. */
export function rgbaPipeline(img: RgbaImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } });
}

export function blank(width: number, height: number): RgbaImage {
  return { data: new Uint8Array(width * height * 4), width, height };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The smallest rectangle holding every pixel with alpha > 0; a fully transparent image keeps 1×1. */
export function opaqueBounds(img: RgbaImage): Rect {
  let [x0, y0, x1, y1] = [img.width, img.height, -1, -1];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[(y * img.width + x) * 4 + 3]! === 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? { x: 0, y: 0, w: 1, h: 1 } : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Copies `src` (the `from` rectangle of it) into `dst` at (x, y), repeating its edge pixels `extrude`
 * pixels outward so texture filtering at the frame's border never samples a neighbour.
 */
export function blit(dst: RgbaImage, src: RgbaImage, from: Rect, x: number, y: number, extrude = 0): void {
  for (let dy = -extrude; dy < from.h + extrude; dy++) {
    const sy = from.y + Math.min(from.h - 1, Math.max(0, dy));
    for (let dx = -extrude; dx < from.w + extrude; dx++) {
      const sx = from.x + Math.min(from.w - 1, Math.max(0, dx));
      const s = (sy * src.width + sx) * 4;
      dst.data.set(src.data.subarray(s, s + 4), ((y + dy) * dst.width + (x + dx)) * 4);
    }
  }
}

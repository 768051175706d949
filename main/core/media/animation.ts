// Frames → an animated GIF, an animated WebP and a sprite strip PNG, each carrying its recipe:
// the strip in PNG text chunks (png-meta.ts), the WebP in an XMP packet, the GIF in comment
// extensions (libvips writes no metadata into GIFs, so we add the comment blocks ourselves).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { a1111Parameters, type Recipe } from '#shared/recipe';
import { freshFolder } from '../files/fresh-folder';
import { embedRecipe } from './png-meta';

/** Equally sized 8-bit RGB frames (3 bytes a pixel, row-major), in playing order. */
export interface FrameSet {
  frames: Uint8Array[];
  width: number;
  height: number;
}

export interface AnimationOptions {
  /** Time each frame is shown. */
  delayMs?: number;
  /** Nearest-neighbour enlargement of the GIF, WebP and strip (frames stay as they are). */
  scale?: number;
}

function checkFrames(set: FrameSet): void {
  if (set.frames.length === 0) throw new Error('an animation needs at least one frame');
  for (const f of set.frames) {
    if (f.length !== set.width * set.height * 3) throw new Error(`frame of ${f.length} bytes for ${set.width}×${set.height} RGB`);
  }
}

/** Nearest-neighbour enlargement by a whole factor (libvips would resize a stacked animation as one image). */
function enlarge(set: FrameSet, scale: number): FrameSet {
  if (scale <= 1) return set;
  const { width: w, height: h } = set;
  const W = w * scale;
  const frames = set.frames.map((f) => {
    const out = new Uint8Array(W * h * scale * 3);
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < W; x++) {
        const from = (Math.floor(y / scale) * w + Math.floor(x / scale)) * 3;
        out.set(f.subarray(from, from + 3), (y * W + x) * 3);
      }
    }
    return out;
  });
  return { frames, width: W, height: h * scale };
}

/** All frames stacked top to bottom, as libvips holds an animation ("pages" of pageHeight rows). */
function stacked(input: FrameSet, scale: number): Sharp {
  const set = enlarge(input, scale);
  const all = new Uint8Array(set.frames.length * set.frames[0]!.length);
  set.frames.forEach((f, i) => all.set(f, i * f.length));
  return sharp(all, { raw: { width: set.width, height: set.height * set.frames.length, channels: 3, pageHeight: set.height } });
}

const JSON_PREFIX = 'homegrown:';

/** JSON with every non-ASCII character escaped, so it survives any 7-bit-clean reader. */
const asciiJson = (r: Recipe) =>
  JSON.stringify(r).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export async function encodeGif(set: FrameSet, recipe: Recipe, opts: AnimationOptions = {}): Promise<Buffer> {
  checkFrames(set);
  const delay = set.frames.map(() => opts.delayMs ?? 100);
  // keepDuplicateFrames: a walk between equal ends must still have its frame count.
  const gif = await stacked(set, opts.scale ?? 1)
    .gif({ loop: 0, delay, effort: 10, dither: 0, keepDuplicateFrames: true })
    .toBuffer();
  return insertGifComments(gif, [a1111Parameters(recipe), JSON_PREFIX + asciiJson(recipe)]);
}

/** Lossless, so pixel art keeps its exact colours. */
export async function encodeWebp(set: FrameSet, recipe: Recipe, opts: AnimationOptions = {}): Promise<Buffer> {
  checkFrames(set);
  const delay = set.frames.map(() => opts.delayMs ?? 100);
  return stacked(set, opts.scale ?? 1)
    .withXmp(recipeXmp(recipe))
    .webp({ loop: 0, delay, lossless: true, effort: 6 })
    .toBuffer();
}

/** The frames left to right in one PNG, no gaps: a sprite strip game engines slice by frame width. */
export async function encodeStrip(input: FrameSet, recipe: Recipe, opts: AnimationOptions = {}): Promise<Buffer> {
  checkFrames(input);
  const { width: w, height: h, frames } = enlarge(input, opts.scale ?? 1);
  const row = w * 3;
  const data = new Uint8Array(frames.length * w * h * 3);
  frames.forEach((f, i) => {
    for (let y = 0; y < h; y++) data.set(f.subarray(y * row, (y + 1) * row), (y * frames.length * w + i * w) * 3);
  });
  const png = await sharp(data, { raw: { width: frames.length * w, height: h, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return embedRecipe(png, recipe);
}

// GIF: header (6) + logical screen descriptor (7), whose packed byte says if a global colour table follows.
function globalTableEnd(gif: Uint8Array): number {
  if (gif.length < 13 || String.fromCharCode(...gif.subarray(0, 3)) !== 'GIF') throw new Error('not a GIF');
  const packed = gif[10];
  return 13 + (packed! & 0x80 ? 3 * 2 ** ((packed! & 7) + 1) : 0);
}

/** Comment extensions (0x21 0xFE, data in sub-blocks of at most 255 bytes) placed before the first frame. */
function insertGifComments(gif: Buffer, comments: string[]): Buffer {
  const at = globalTableEnd(gif);
  const blocks = comments.map((c) => {
    const bytes = Buffer.from(c, 'utf8');
    const parts: Buffer[] = [Buffer.from([0x21, 0xfe])];
    for (let i = 0; i < bytes.length; i += 255) {
      const chunk = bytes.subarray(i, i + 255);
      parts.push(Buffer.from([chunk.length]), chunk);
    }
    parts.push(Buffer.from([0]));
    return Buffer.concat(parts);
  });
  return Buffer.concat([gif.subarray(0, at), ...blocks, gif.subarray(at)]);
}

/** Every comment extension in a GIF, walking its blocks. */
export function readGifComments(gif: Uint8Array): string[] {
  const out: string[] = [];
  let pos = globalTableEnd(gif);
  const skipSubBlocks = (collect?: number[]) => {
    while (pos < gif.length && gif[pos] !== 0) {
      const n = gif[pos];
      if (collect) collect.push(...gif.subarray(pos + 1, pos + 1 + n!));
      pos += 1 + n!;
    }
    pos++;
  };
  while (pos < gif.length && gif[pos] !== 0x3b) {
    if (gif[pos] === 0x21) {
      const isComment = gif[pos + 1] === 0xfe;
      pos += 2;
      const bytes: number[] = [];
      skipSubBlocks(isComment ? bytes : undefined);
      if (isComment) out.push(Buffer.from(bytes).toString('utf8'));
    } else if (gif[pos] === 0x2c) {
      const packed = gif[pos + 9];
      pos += 10 + (packed! & 0x80 ? 3 * 2 ** ((packed! & 7) + 1) : 0) + 1; // descriptor, local table, LZW code size
      skipSubBlocks();
    } else {
      throw new Error(`malformed GIF: unexpected block 0x${gif[pos]!.toString(16)} at byte ${pos}`);
    }
  }
  return out;
}

export function readGifRecipe(gif: Uint8Array): Recipe | undefined {
  const json = readGifComments(gif).find((c) => c.startsWith(JSON_PREFIX));
  return json ? (JSON.parse(json.slice(JSON_PREFIX.length)) as Recipe) : undefined;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** An XMP packet with the A1111 text as the description (what image viewers show) and the JSON recipe. */
function recipeXmp(recipe: Recipe): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:homegrown="urn:homegrown:recipe:1">' +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(a1111Parameters(recipe))}</rdf:li></rdf:Alt></dc:description>` +
    `<homegrown:recipe>${xmlEscape(JSON.stringify(recipe))}</homegrown:recipe>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

export async function readWebpRecipe(webp: Uint8Array): Promise<Recipe | undefined> {
  const { xmp } = await sharp(webp).metadata();
  const m = xmp?.toString('utf8').match(/<homegrown:recipe>([^<]*)<\/homegrown:recipe>/);
  return m ? (JSON.parse(xmlUnescape(m[1]!)) as Recipe) : undefined;
}

export interface WrittenAnimation {
  dir: string;
  frames: string[];
  gif: string;
  webp: string;
  strip: string;
}

/**
 * Writes `parent/name/` (or `name-2`, … if taken: nothing is ever overwritten) holding
 * frame-01.png … (each with its own recipe: `frameRecipes[i]`, else the animation's with `frame: i`),
 * animation.gif, animation.webp and strip.png.
 */
export async function writeAnimation(
  parent: string,
  name: string,
  set: FrameSet,
  recipe: Recipe,
  opts: AnimationOptions & { frameRecipes?: Recipe[] } = {},
): Promise<WrittenAnimation> {
  checkFrames(set);
  const [gif, webp, strip] = await Promise.all([
    encodeGif(set, recipe, opts),
    encodeWebp(set, recipe, opts),
    encodeStrip(set, recipe, opts),
  ]);
  const frames = await Promise.all(
    set.frames.map(async (f) =>
      sharp(f, { raw: { width: set.width, height: set.height, channels: 3 } })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    ),
  );
  const dir = await freshFolder(parent, name);
  const digits = Math.max(2, String(set.frames.length).length);
  const write = async (file: string, data: Uint8Array) => {
    await fs.writeFile(path.join(dir, file), data, { flag: 'wx' });
    return path.join(dir, file);
  };
  const framePaths: string[] = [];
  for (const [i, png] of frames.entries()) {
    const r = opts.frameRecipes?.[i] ?? { ...recipe, frames: set.frames.length, frame: i };
    framePaths.push(await write(`frame-${String(i + 1).padStart(digits, '0')}.png`, embedRecipe(png, r)));
  }
  return {
    dir,
    frames: framePaths,
    gif: await write('animation.gif', gif),
    webp: await write('animation.webp', webp),
    strip: await write('strip.png', strip),
  };
}

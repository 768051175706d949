// Turns an image file's bytes into what the app needs, through sharp: the header (read before any pixel
// is decoded, so a decompression bomb is refused by its claimed size), a small RGBA thumbnail for the
// doctor, the square sRGB 8-bit RGB training image, and a normalised PNG copy for `doctor --fix`.
// Every decode honours EXIF orientation, converts to sRGB 8-bit and reads the first frame only, and
// only bytes that start like an accepted format (PNG, JPEG, WebP, GIF, TIFF, AVIF) ever reach sharp.
import sharp, { type Metadata, type Sharp } from 'sharp';
import { readRegularFile } from '../files/read-regular';
import { ImageRejected } from './skip';

export type Fit = 'crop' | 'pad';
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif';
export type ColourMode = 'RGB' | 'RGBA' | 'grey' | 'grey+alpha' | 'CMYK';

export interface ImageHeader {
  format: ImageFormat;
  /** Width and height as displayed, after EXIF orientation. */
  width: number;
  height: number;
  mode: ColourMode;
  /** Bits per sample as stored (8, 16, …); decoded images are always 8-bit. */
  bitDepth: number;
  palette: boolean;
  hasAlpha: boolean;
  /** EXIF orientation 1–8 (1 = upright, 6 = rotate 90° clockwise to display). */
  orientation: number;
  /** Frames in an animated GIF/WebP (or pages of a TIFF); only the first is used. */
  frames: number;
}

/** Extensions of the files worth decoding; anything else is listed but never read. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
]);
/** 50 megapixels: any camera photo, while one decode stays within a few hundred MB. */
export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Side of the square RGBA thumbnail the doctor analyses (alpha use, perceptual hash). */
export const THUMBNAIL_SIDE = 64;
/** A decode still running after this long is stopped: one file may not hold up a whole folder. */
export const DECODE_TIMEOUT_SECONDS = 30;
/** An image file bigger than this is not read at all (a 50-megapixel 16-bit TIFF is about 400 MB). */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;
const READ_TIMEOUT_MS = 20_000;
// Flattened transparency and the pad letterbox become white: most artwork sits on white.
const BACKGROUND = { r: 255, g: 255, b: 255 };

const ACCEPTED_NAMES = 'PNG, JPEG, WebP, GIF, TIFF or AVIF';
// The libvips loaders of the accepted formats (each name covers its file, buffer and source variants).
const ALLOWED_LOADERS = [
  'VipsForeignLoadPng',
  'VipsForeignLoadJpeg',
  'VipsForeignLoadWebp',
  'VipsForeignLoadNsgif',
  'VipsForeignLoadTiff',
  'VipsForeignLoadHeif',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DEPTH_BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32 };

/**
 * Blocks every libvips loader except those of the accepted formats (no SVG, PDF, .vips, matrix, …) for
 * the rest of the process. For processes that only read datasets (the doctor command, training jobs):
 * the app rasterises its own SVGs elsewhere (demo, eval), which this would break. Dataset files are
 * safe without it: readHeader lets only accepted signatures through to sharp.
 */
export function restrictDecoders(): void {
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: ALLOWED_LOADERS });
}

/** An image file's bytes for a request (thumbnail, caption edit): FIFOs, devices, huge or stalled files are refused. */
export function readImageFile(file: string): Promise<Buffer> {
  return readRegularFile(file, { maxBytes: MAX_IMAGE_FILE_BYTES, timeoutMs: READ_TIMEOUT_MS });
}

/** Whether the bytes start like one of the accepted formats, so that no other libvips loader sees them. */
export function hasAcceptedSignature(bytes: Buffer): boolean {
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to);
  return (
    bytes.subarray(0, 8).equals(PNG_SIGNATURE) ||
    (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) || // JPEG
    ascii(0, 6) === 'GIF87a' ||
    ascii(0, 6) === 'GIF89a' ||
    (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    ['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(ascii(0, 4)) || // TIFF, BigTIFF
    ascii(4, 8) === 'ftyp' // ISO media: AVIF (HEIC is refused once its header is read)
  );
}

/** The image's header, refusing unaccepted formats and images above maxPixels before any decoding. */
export async function readHeader(bytes: Buffer, maxPixels: number): Promise<ImageHeader> {
  if (!hasAcceptedSignature(bytes)) {
    throw new ImageRejected('not-image', `not an image: the contents are not ${ACCEPTED_NAMES}`);
  }
  let meta: Metadata;
  try {
    // No pixel limit here: metadata() reads the header only, and we want the claimed size to report it.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    if (/unsupported image format/iu.test((err as Error).message)) {
      throw new ImageRejected('not-image', `not an image: the contents are not ${ACCEPTED_NAMES}`);
    }
    throw new ImageRejected('damaged', 'damaged or truncated image: its header cannot be read');
  }
  const format = acceptedFormat(meta);
  const frameHeight = meta.pageHeight ?? meta.height;
  const pixels = meta.width * frameHeight;
  if (pixels > maxPixels) {
    throw new ImageRejected(
      'too-many-pixels',
      `image claims ${meta.width}×${frameHeight} pixels (${megapixels(pixels)}), above the limit of ` +
        `${megapixels(maxPixels)}: shrink it, or raise --max-pixels if it is genuine`,
    );
  }
  return {
    format,
    width: meta.autoOrient?.width ?? meta.width,
    height: meta.autoOrient?.height ?? frameHeight,
    mode: colourMode(meta),
    bitDepth: DEPTH_BITS[meta.depth] ?? 64,
    palette: meta.isPalette ?? false,
    hasAlpha: meta.hasAlpha,
    orientation: meta.orientation ?? 1,
    frames: meta.pages ?? 1,
  };
}

/** The whole image squeezed to THUMBNAIL_SIDE² RGBA, sRGB 8-bit; decoding it all proves it is intact. */
export async function decodeThumbnail(bytes: Buffer, maxPixels: number, side = THUMBNAIL_SIDE): Promise<Uint8Array> {
  const pipeline = open(bytes, maxPixels).resize(side, side, { fit: 'fill' }).ensureAlpha().toColourspace('srgb');
  return rawPixels(pipeline, side, 4);
}

/** The first frame at its own size as straight RGBA, sRGB 8-bit, upright. */
export async function decodeNativeRgba(bytes: Buffer, maxPixels: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await run(() =>
    open(bytes, maxPixels).toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }),
  );
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The training image: size² RGB, sRGB 8-bit, row-major HWC, center-cropped or letterboxed. */
export async function decodeSquare(bytes: Buffer, opts: { size: number; fit: Fit; maxPixels: number }): Promise<Uint8Array> {
  const pipeline = open(bytes, opts.maxPixels)
    .resize(opts.size, opts.size, {
      fit: opts.fit === 'crop' ? 'cover' : 'contain',
      position: 'centre',
      background: BACKGROUND,
    })
    .flatten({ background: BACKGROUND })
    .toColourspace('srgb')
    .removeAlpha();
  return rawPixels(pipeline, opts.size, 3);
}

/** The image at full size as an upright sRGB 8-bit PNG (RGBA when its transparency matters). */
export async function encodeNormalisedPng(bytes: Buffer, opts: { maxPixels: number; keepAlpha: boolean }): Promise<Buffer> {
  let pipeline = open(bytes, opts.maxPixels).toColourspace('srgb');
  if (!opts.keepAlpha) pipeline = pipeline.flatten({ background: BACKGROUND }).removeAlpha();
  return run(() => pipeline.png().toBuffer());
}

function open(bytes: Buffer, maxPixels: number): Sharp {
  // failOn 'error' refuses truncated data but tolerates the harmless warnings many real JPEGs carry.
  return sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true }).timeout({
    seconds: DECODE_TIMEOUT_SECONDS,
  });
}

async function rawPixels(pipeline: Sharp, side: number, channels: number): Promise<Uint8Array> {
  const { data, info } = await run(() => pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  if (info.width !== side || info.height !== side || info.channels !== channels) {
    // Should not happen; if a strange file gets here it is still one bad file, never a crash.
    const got = `${info.width}×${info.height}×${info.channels}`;
    throw new ImageRejected('damaged', `decoded to ${got} instead of ${side}×${side}×${channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Runs a decode, turning its failure into the file's skip reason. libvips keeps one error buffer for
 * the whole process, so a failure's message may carry another file's error when several decode at once:
 * the reason says only what is certain.
 */
async function run<T>(decode: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await decode();
  } catch {
    if (Date.now() - started >= DECODE_TIMEOUT_SECONDS * 1000) {
      throw new ImageRejected('damaged', `decoding took more than ${DECODE_TIMEOUT_SECONDS} s and was stopped`);
    }
    throw new ImageRejected('damaged', 'damaged or truncated image: its pixel data cannot be decoded');
  }
}

function acceptedFormat(meta: Metadata): ImageFormat {
  switch (meta.format) {
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'gif':
    case 'tiff':
      return meta.format;
    case 'heif':
      if (meta.compression === 'av1') return 'avif';
      throw new ImageRejected('unsupported-format', `HEIC images are not read: convert it to ${ACCEPTED_NAMES}`);
    default:
      throw new ImageRejected('unsupported-format', `${meta.format} images are not read: convert it to ${ACCEPTED_NAMES}`);
  }
}

function colourMode(meta: Metadata): ColourMode {
  if (meta.space === 'cmyk') return 'CMYK';
  if (meta.space === 'b-w' || meta.space === 'grey16') return meta.hasAlpha ? 'grey+alpha' : 'grey';
  return meta.hasAlpha ? 'RGBA' : 'RGB';
}

function megapixels(pixels: number): string {
  return `${Number((pixels / 1e6).toPrecision(3))} megapixels`;
}

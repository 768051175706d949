// Sprite sheets: frames packed with maxrects (maxrects-packer) or laid on a fixed grid, and the atlas
// JSON in TexturePacker's "JSON (Hash)" and "JSON (Array)" layouts that Phaser and PixiJS load.
import { MaxRectsPacker } from 'maxrects-packer/dist/maxrects-packer.mjs';
import { UserError } from '../errors';
import { APP_VERSION } from '../version';
import { blank, blit, opaqueBounds, type Rect, type RgbaImage } from './rgba';

export interface SheetFrame {
  name: string;
  image: RgbaImage;
}

export interface SheetOptions {
  /** 'pack': maxrects, frames of any size; 'grid': fixed cells in rows, all frames one size. */
  mode: 'pack' | 'grid';
  /** Transparent pixels between frames (and around the sheet's edge). */
  padding: number;
  /** Edge pixels repeated around each frame, inside the padding. */
  extrude: number;
  /** Cut transparent borders off each frame (pack mode only; a grid refuses it); the atlas records the offsets. */
  trim: boolean;
  /** Sheet width and height rounded up to powers of two. */
  pot: boolean;
  /** Grid mode: cells per row (default: as square as possible). */
  columns?: number;
  /** Largest sheet side in pixels. */
  maxSize: number;
}

export const DEFAULT_SHEET: SheetOptions = { mode: 'pack', padding: 2, extrude: 0, trim: false, pot: false, maxSize: 4096 };

export interface AtlasFrame {
  frame: { x: number; y: number; w: number; h: number };
  rotated: false;
  trimmed: boolean;
  spriteSourceSize: { x: number; y: number; w: number; h: number };
  sourceSize: { w: number; h: number };
}

export interface AtlasMeta {
  app: string;
  version: string;
  image: string;
  format: 'RGBA8888';
  size: { w: number; h: number };
  scale: '1';
  /** Grid mode: the cell layout, for engines that slice by cell (Godot, Unity). */
  grid?: { cellWidth: number; cellHeight: number; columns: number; rows: number; padding: number };
}

export interface HashAtlas {
  frames: Record<string, AtlasFrame>;
  meta: AtlasMeta;
}

export interface ArrayAtlas {
  frames: (AtlasFrame & { filename: string })[];
  meta: AtlasMeta;
}

export interface Sheet {
  image: RgbaImage;
  /** In frame order. */
  placed: { name: string; frame: AtlasFrame }[];
  grid?: AtlasMeta['grid'];
}

const nextPot = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

interface Piece {
  name: string;
  image: RgbaImage;
  crop: Rect;
}

function pieces(frames: readonly SheetFrame[], trim: boolean): Piece[] {
  return frames.map((f) => ({
    name: f.name,
    image: f.image,
    crop: trim ? opaqueBounds(f.image) : { x: 0, y: 0, w: f.image.width, h: f.image.height },
  }));
}

function atlasFrame(p: Piece, x: number, y: number): AtlasFrame {
  const { width, height } = p.image;
  return {
    frame: { x, y, w: p.crop.w, h: p.crop.h },
    rotated: false,
    trimmed: p.crop.w !== width || p.crop.h !== height,
    spriteSourceSize: { ...p.crop },
    sourceSize: { w: width, h: height },
  };
}

interface Layout {
  width: number;
  height: number;
  /** Where each piece's top-left pixel goes (inside its extrusion). */
  at: Map<Piece, { x: number; y: number }>;
  grid?: AtlasMeta['grid'];
}

function packed(ps: Piece[], o: SheetOptions): Layout {
  const packer = new MaxRectsPacker<{ x: number; y: number; width: number; height: number; data: Piece }>(o.maxSize, o.maxSize, o.padding, {
    smart: true,
    pot: o.pot,
    square: false,
    allowRotation: false,
    border: o.padding,
  });
  // Each rectangle holds the frame and its extrusion; padding is kept between rectangles by the packer.
  for (const p of ps) packer.add(p.crop.w + 2 * o.extrude, p.crop.h + 2 * o.extrude, p);
  if (packer.bins.length !== 1)
    throw new UserError(`These ${ps.length} frames do not fit on one ${o.maxSize}×${o.maxSize} sheet; export fewer or smaller frames`);
  const bin = packer.bins[0]!;
  const at = new Map(bin.rects.map((r) => [r.data, { x: r.x + o.extrude, y: r.y + o.extrude }]));
  return { width: bin.width, height: bin.height, at };
}

function gridded(ps: Piece[], o: SheetOptions): Layout {
  const sizes = new Set(ps.map((p) => `${p.image.width}×${p.image.height}`));
  if (sizes.size > 1)
    throw new UserError(
      `A grid sheet needs frames of one size; this selection mixes ${[...sizes].join(', ')}. Use the packed mode or select one size`,
    );
  const { width: cw, height: ch } = ps[0]!.image;
  const columns = o.columns ?? Math.ceil(Math.sqrt(ps.length));
  if (!Number.isInteger(columns) || columns < 1) throw new UserError('The grid needs at least one column');
  const rows = Math.ceil(ps.length / columns);
  const step = { x: cw + 2 * o.extrude + o.padding, y: ch + 2 * o.extrude + o.padding };
  let width = o.padding + Math.min(columns, ps.length) * step.x;
  let height = o.padding + rows * step.y;
  if (o.pot) [width, height] = [nextPot(width), nextPot(height)];
  if (width > o.maxSize || height > o.maxSize)
    throw new UserError(
      `A ${width}×${height} grid is larger than the ${o.maxSize} px limit; use more columns, fewer frames or the packed mode`,
    );
  const at = new Map(
    ps.map((p, i) => [
      p,
      { x: o.padding + (i % columns) * step.x + o.extrude, y: o.padding + Math.floor(i / columns) * step.y + o.extrude },
    ]),
  );
  return { width, height, at, grid: { cellWidth: cw, cellHeight: ch, columns, rows, padding: o.padding } };
}

export function buildSheet(frames: readonly SheetFrame[], options: Partial<SheetOptions> = {}): Sheet {
  const o = { ...DEFAULT_SHEET, ...options };
  if (frames.length === 0) throw new UserError('Nothing to put on a sheet: the selection is empty');
  for (const [k, v] of Object.entries({ padding: o.padding, extrude: o.extrude })) {
    if (!Number.isInteger(v) || v < 0) throw new UserError(`${k} must be a whole number of pixels ≥ 0`);
  }
  if (o.trim && o.mode === 'grid') {
    throw new UserError(
      'A grid sheet keeps every cell the same size so that engines can slice it by cell, so it cannot trim frames; use the packed layout to trim, or leave trim off',
    );
  }
  const ps = pieces(frames, o.trim);
  const layout = o.mode === 'grid' ? gridded(ps, o) : packed(ps, o);
  const image = blank(layout.width, layout.height);
  const placed = ps.map((p) => {
    const { x, y } = layout.at.get(p)!;
    blit(image, p.image, p.crop, x, y, o.extrude);
    return { name: p.name, frame: atlasFrame(p, x, y) };
  });
  return { image, placed, ...(layout.grid ? { grid: layout.grid } : {}) };
}

function meta(sheet: Sheet, imageName: string): AtlasMeta {
  return {
    app: 'homegrown',
    version: APP_VERSION,
    image: imageName,
    format: 'RGBA8888',
    size: { w: sheet.image.width, h: sheet.image.height },
    scale: '1',
    ...(sheet.grid ? { grid: sheet.grid } : {}),
  };
}

export function hashAtlas(sheet: Sheet, imageName: string): HashAtlas {
  return { frames: Object.fromEntries(sheet.placed.map((p) => [p.name, p.frame])), meta: meta(sheet, imageName) };
}

export function arrayAtlas(sheet: Sheet, imageName: string): ArrayAtlas {
  return { frames: sheet.placed.map((p) => ({ filename: p.name, ...p.frame })), meta: meta(sheet, imageName) };
}

// Dynamic-prompts style wildcards: `{red|green|blue}` is one of the options, `{2$$a|b|c}` two
// different ones joined with ", ", `{1-3$$a|b|c}` one to three, `{2$$ and $$a|b|c}` joined with
// " and ". Variants nest. Backslash escapes (`\{`, `\|`, `\}`) are passed through untouched so the
// attention parser later turns them into the literal character, and an unmatched brace is text.
// A random pick is seeded per image; the combinatorial mode lists every combination in order.
import { Rng } from '../rng';
import { PromptError } from './errors';

export const DEFAULT_EXPANSION_LIMIT = 1000;
/** Deeper nesting is almost certainly a typo and would only risk the call stack. */
export const MAX_VARIANT_DEPTH = 100;
/**
 * Longer templates are refused before parsing, so one request cannot hold a server: parsing is
 * linear in the length, and picking for an image linear in the number of variants.
 */
export const MAX_TEMPLATE_LENGTH = 20_000;
/** Every image picks through every variant, so their number bounds the work per image. */
export const MAX_VARIANTS = 1000;

type Piece = string | Variant;

interface Variant {
  min: number;
  max: number;
  separator: string;
  options: Piece[][];
}

const COUNT_PREFIX = /\s*(\d+)(?:\s*-\s*(\d+))?\s*\$\$(?:([^{}|$]*)\$\$)?/y;

/** Index of the matching `}` for every `{` that has one; escaped braces are ignored. */
function matchBraces(text: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') open.push(i);
    else if (c === '}' && open.length) pairs.set(open.pop()!, i);
  }
  return pairs;
}

/** Splits `text` on `separator` characters that are neither escaped nor inside a matched `{…}`. */
export function splitOutsideVariants(text: string, separator: string): string[] {
  const pairs = matchBraces(text);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{' && pairs.has(i)) i = pairs.get(i)!;
    else if (c === separator) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

function parseTemplate(text: string): Piece[] {
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new PromptError(
      `This prompt is ${text.length.toLocaleString('en-US')} characters long, more than the limit of ${MAX_TEMPLATE_LENGTH.toLocaleString('en-US')}.`,
    );
  }
  // Braces are matched once; every variant below reuses the pairs, so parsing stays linear.
  const pairs = matchBraces(text);
  if (pairs.size > MAX_VARIANTS) {
    throw new PromptError(
      `This prompt has ${pairs.size.toLocaleString('en-US')} {…} variants, more than the limit of ${MAX_VARIANTS.toLocaleString('en-US')}.`,
    );
  }

  // Pieces of text[start, end); variants recurse into their matched range.
  const parseRange = (start: number, end: number, depth: number): Piece[] => {
    const pieces: Piece[] = [];
    let literal = '';
    for (let i = start; i < end; i++) {
      const c = text[i];
      if (c === '\\') {
        literal += text.slice(i, i + 2);
        i++;
      } else if (c === '{' && pairs.has(i)) {
        if (depth >= MAX_VARIANT_DEPTH) {
          throw new PromptError(`Wildcards are nested more than ${MAX_VARIANT_DEPTH} levels deep.`);
        }
        if (literal) pieces.push(literal);
        literal = '';
        const close = pairs.get(i)!;
        pieces.push(parseVariant(i + 1, close, depth + 1));
        i = close;
      } else {
        literal += c;
      }
    }
    if (literal) pieces.push(literal);
    return pieces;
  };

  const parseVariant = (start: number, end: number, depth: number): Variant => {
    let min = 1;
    let max = 1;
    let separator = ', ';
    COUNT_PREFIX.lastIndex = start;
    const m = COUNT_PREFIX.exec(text);
    if (m && m.index + m[0].length <= end) {
      min = Number(m[1]);
      max = m[2] === undefined ? min : Number(m[2]);
      if (min > max) [min, max] = [max, min];
      if (m[3] !== undefined) separator = m[3];
      start += m[0].length;
    }
    const options: Piece[][] = [];
    let from = start;
    for (let i = start; i < end; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '{' && pairs.has(i)) i = pairs.get(i)!;
      else if (c === '|') {
        options.push(parseRange(from, i, depth));
        from = i + 1;
      }
    }
    options.push(parseRange(from, end, depth));
    return { min, max, separator, options };
  };

  return parseRange(0, text.length, 0);
}

/** How many options a variant picks at most and at least, clamped to what it has. */
function pickRange(v: Variant): [number, number] {
  const n = v.options.length;
  return [Math.min(v.min, n), Math.min(v.max, n)];
}

function countPieces(pieces: Piece[]): number {
  let total = 1;
  for (const p of pieces) if (typeof p !== 'string') total *= countVariant(p);
  return total;
}

/** Σ over k of the elementary symmetric polynomial e_k of the options' counts (k-subsets). */
function countVariant(v: Variant): number {
  const [lo, hi] = pickRange(v);
  const e = [1, ...new Array<number>(hi).fill(0)];
  for (const option of v.options) {
    const c = countPieces(option);
    for (let k = hi; k >= 1; k--) e[k]! += e[k - 1]! * c;
  }
  let total = 0;
  for (let k = lo; k <= hi; k++) total += e[k]!;
  return total;
}

/** Number of distinct prompts the combinatorial mode would list (may be Infinity). */
export function countExpansions(template: string): number {
  return countPieces(parseTemplate(template));
}

export function checkLimit(count: number, limit: number, what: string): void {
  if (count > limit) {
    const n = Number.isFinite(count) ? count.toLocaleString('en-US') : 'astronomically many';
    throw new PromptError(`${what} would produce ${n} prompts, more than the limit of ${limit}: remove options or raise the limit.`);
  }
}

/** k-subsets of 0..n-1 as increasing index lists, in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield [...idx];
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

function expandPieces(pieces: Piece[]): string[] {
  let out = [''];
  for (const p of pieces) {
    const alternatives = typeof p === 'string' ? [p] : expandVariant(p);
    out = out.flatMap((prefix) => alternatives.map((s) => prefix + s));
  }
  return out;
}

function expandVariant(v: Variant): string[] {
  const [lo, hi] = pickRange(v);
  const options = hi > 0 ? v.options.map(expandPieces) : [];
  const out: string[] = [];
  for (let k = lo; k <= hi; k++) {
    for (const chosen of combinations(v.options.length, k)) {
      let rows: string[][] = [[]];
      for (const i of chosen) rows = rows.flatMap((row) => options[i]!.map((s) => [...row, s]));
      for (const row of rows) out.push(row.join(v.separator));
    }
  }
  return out;
}

/** Every combination, first variant varying slowest; throws PromptError beyond `limit`. */
export function expandCombinatorial(template: string, limit = DEFAULT_EXPANSION_LIMIT): string[] {
  const pieces = parseTemplate(template);
  checkLimit(countPieces(pieces), limit, 'This prompt');
  return expandPieces(pieces);
}

function pickPieces(pieces: Piece[], rng: Rng): string {
  return pieces.map((p) => (typeof p === 'string' ? p : pickVariant(p, rng))).join('');
}

function pickVariant(v: Variant, rng: Rng): string {
  const [lo, hi] = pickRange(v);
  const k = lo + rng.int(hi - lo + 1);
  const order = v.options.map((_, i) => i);
  const chosen: string[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(order.length - i); // partial Fisher–Yates: k distinct options
    [order[i], order[j]] = [order[j]!, order[i]!];
    chosen.push(pickPieces(v.options[order[i]!]!, rng));
  }
  return chosen.join(v.separator);
}

/** The prompt an image with this seed gets: the same seed always picks the same options. */
export function pickWildcards(template: string, seed: number): string {
  return pickPieces(parseTemplate(template), new Rng(seed));
}

/** `count` prompts for images seeded `seed`, `seed + 1`, … (the way A1111 seeds a batch). */
export function expandRandom(template: string, seed: number, count: number, limit = DEFAULT_EXPANSION_LIMIT): string[] {
  checkLimit(count, limit, `${count} images`);
  const pieces = parseTemplate(template);
  return Array.from({ length: count }, (_, i) => pickPieces(pieces, new Rng((seed + i) >>> 0)));
}

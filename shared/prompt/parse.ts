// The AUTOMATIC1111 attention syntax, ported from `parse_prompt_attention` and
// `get_multicond_prompt_list` (modules/prompt_parser.py) so that prompts copied from A1111 weigh the
// same here. It is a scanner, not a grammar: every string parses, nothing throws, nothing backtracks
// (time grows with length × bracket depth).
// Deliberate differences, each where A1111 crashes or misreads: a weight that is not a float such as
// `(a:1.2.3)` is text (A1111 raises); `\:` is a literal colon that never starts a weight; BREAK is
// recognised inside brackets too (A1111 multiplies its -1 marker and then reads the word "BREAK").
import { captionTokens, splitTags } from '../text/tokenize';

export const ROUND_MULTIPLIER = 1.1;
export const SQUARE_MULTIPLIER = 1 / 1.1;

export interface AttentionSegment {
  text: string;
  weight: number;
}

/** One weighted run of text with the tags and word tokens it contributes (shared/text/tokenize). */
export interface PromptSegment extends AttentionSegment {
  tags: string[];
  tokens: string[];
}

/** A part of the prompt between `AND`s (A1111 composable diffusion), with its own `:weight`. */
export interface SubPrompt {
  text: string;
  weight: number;
  /** Runs of segments separated by BREAK; empty segments are dropped. */
  chunks: PromptSegment[][];
}

export interface ParsedPrompt {
  subprompts: SubPrompt[];
}

// A1111's re_attention, in the same order. The weight must be a float Python accepts, so that a
// malformed one falls through to the lone `:` and plain text branches instead of crashing.
const ATTENTION = /\\\(|\\\)|\\\[|\\\]|\\\\|\\:|\\|\(|\[|:\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*\)|\)|\]|[^\\()[\]:]+|:/gu;

// Python's \b is Unicode-aware, JavaScript's is ASCII-only: spell the word boundary out.
const BREAK_WORD = /(?<![\p{L}\p{N}_])BREAK(?![\p{L}\p{N}_])/gu;
const AND_WORD = /(?<![\p{L}\p{N}_])AND(?![\p{L}\p{N}_])/u;
const SPACE = /\s/u;

interface Entry extends AttentionSegment {
  isBreak: boolean;
}

/** re.split(r"\s*\bBREAK\b\s*", text), with the spaces taken by hand: `\s*` first is quadratic on long spaces. */
function splitOnBreak(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const m of text.matchAll(BREAK_WORD)) {
    let start = m.index;
    while (start > from && SPACE.test(text[start - 1]!)) start--;
    let end = m.index + 5;
    while (end < text.length && SPACE.test(text[end]!)) end++;
    parts.push(text.slice(from, start));
    from = end;
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The unmerged A1111 result list, with BREAK markers flagged instead of encoded as weight -1.
 * Weights live in a plain number array: nested brackets multiply O(length × depth) times.
 */
function scanAttention(text: string): Entry[] {
  const texts: string[] = [];
  const weights: number[] = [];
  const breaks = new Set<number>();
  const round: number[] = [];
  const square: number[] = [];
  const push = (t: string) => {
    texts.push(t);
    weights.push(1);
  };
  const multiplyFrom = (start: number, m: number) => {
    for (let p = start; p < weights.length; p++) weights[p]! *= m;
  };
  for (const m of text.matchAll(ATTENTION)) {
    const tok = m[0];
    if (tok.startsWith('\\')) push(tok.slice(1));
    else if (tok === '(') round.push(texts.length);
    else if (tok === '[') square.push(texts.length);
    else if (m[1] !== undefined && round.length) multiplyFrom(round.pop()!, Number(m[1]));
    else if (tok === ')' && round.length) multiplyFrom(round.pop()!, ROUND_MULTIPLIER);
    else if (tok === ']' && square.length) multiplyFrom(square.pop()!, SQUARE_MULTIPLIER);
    else if (!tok.includes('BREAK')) push(tok);
    else {
      splitOnBreak(tok).forEach((part, i) => {
        if (i > 0) {
          breaks.add(texts.length);
          push('BREAK');
        }
        push(part);
      });
    }
  }
  // Unclosed brackets apply to the end, outermost first, rounds before squares, as in A1111.
  for (const pos of round) multiplyFrom(pos, ROUND_MULTIPLIER);
  for (const pos of square) multiplyFrom(pos, SQUARE_MULTIPLIER);
  return texts.map((t, i) => (breaks.has(i) ? { text: t, weight: -1, isBreak: true } : { text: t, weight: weights[i]!, isBreak: false }));
}

/** A1111's "merge runs of identical weights", except that a BREAK marker never merges. */
function mergeEqualWeights(res: Entry[]): Entry[] {
  const out: Entry[] = [];
  for (const e of res) {
    const last = out[out.length - 1];
    if (last && !last.isBreak && !e.isBreak && last.weight === e.weight) last.text += e.text;
    else out.push({ ...e });
  }
  return out;
}

/**
 * Exactly A1111's `parse_prompt_attention`: (text, weight) runs, equal neighbours merged, a BREAK
 * as `{ text: 'BREAK', weight: -1 }`, `[{ text: '', weight: 1 }]` for an empty prompt.
 */
export function parseAttention(text: string): AttentionSegment[] {
  const res = mergeEqualWeights(scanAttention(text)).map(({ text: t, weight }) => ({ text: t, weight }));
  return res.length ? res : [{ text: '', weight: 1 }];
}

/**
 * A1111's `re_weight` (`text:1.5` at the end of a sub-prompt) as a backwards scan: the regex,
 * `^((?:\s|.)*?)(?:\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+)))?\s*$`, backtracks quadratically on spaces.
 */
export function splitSubpromptWeight(s: string): AttentionSegment {
  let end = s.length;
  while (end > 0 && SPACE.test(s[end - 1]!)) end--;
  let start = end;
  while (start > 0 && /[\d.]/.test(s[start - 1]!)) start--;
  if (start > 0 && (s[start - 1] === '+' || s[start - 1] === '-')) start--;
  let colon = start;
  while (colon > 0 && SPACE.test(s[colon - 1]!)) colon--;
  const number = s.slice(start, end);
  if (colon === 0 || s[colon - 1] !== ':' || !/^[-+]?(?:\d+\.?|\d*\.\d+)$/.test(number)) {
    return { text: s.slice(0, end), weight: 1 };
  }
  let textEnd = colon - 1;
  while (textEnd > 0 && SPACE.test(s[textEnd - 1]!)) textEnd--;
  return { text: s.slice(0, textEnd), weight: Number(number) };
}

function withTokens(seg: AttentionSegment): PromptSegment {
  return { text: seg.text, weight: seg.weight, tags: splitTags(seg.text), tokens: captionTokens(seg.text) };
}

function chunksOf(text: string): PromptSegment[][] {
  const chunks: Entry[][] = [[]];
  for (const e of scanAttention(text)) {
    if (e.isBreak) chunks.push([]);
    else chunks[chunks.length - 1]!.push(e);
  }
  return chunks.map((c) =>
    mergeEqualWeights(c)
      .filter((s) => s.text !== '')
      .map(withTokens),
  );
}

/** A full prompt (positive or negative): AND-separated sub-prompts, BREAK chunks, weighted segments. */
export function parsePrompt(prompt: string): ParsedPrompt {
  return {
    subprompts: prompt.split(AND_WORD).map((part) => {
      const { text, weight } = splitSubpromptWeight(part);
      return { text, weight, chunks: chunksOf(text) };
    }),
  };
}

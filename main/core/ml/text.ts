// Text conditioning for a model trained from scratch: a vocabulary built from the dataset's captions
// and a learned embedding per token. A caption or prompt becomes a "bag": one weight per vocabulary
// row (token weight / number of known tokens), so bag @ embedding is the weighted mean the model saw
// in training. A negative prompt subtracts its own bag, moving the vector away from those tokens.
// Training bags are kept sparse (the token rows of each caption), so they grow with the captions' words,
// not with images × vocabulary.
import { captionTokens } from '#shared/text/tokenize';
import type { Vocabulary } from '#shared/vocabulary';
import { dense, lrelu } from './layers';
import type { ParamBuilder, Params } from './params';
import { tf } from '../compute/tf';

export const UNKNOWN = '<unk>';
/**
 * Rows of the largest vocabulary, <unk> included: the most frequent tokens are kept and rarer ones count
 * as unknown words, so a folder of unique file names cannot grow the embedding (and every batch's bags)
 * without bound.
 */
export const MAX_VOCABULARY = 4096;

export function buildVocabulary(captions: string[]): Vocabulary {
  const tokenised = captions.map((c) => [...new Set(captionTokens(c))]);
  const counts = new Map<string, number>();
  for (const toks of tokenised) for (const t of toks) counts.set(t, (counts.get(t) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_VOCABULARY - 1);
  return {
    tokens: [UNKNOWN, ...sorted.map(([t]) => t)],
    counts: [0, ...sorted.map(([, n]) => n)],
    captions: tokenised,
  };
}

export interface WeightedToken {
  token: string;
  weight: number;
}

function indexOf(vocab: Vocabulary): Map<string, number> {
  return new Map(vocab.tokens.map((t, i) => [t, i] as const).filter(([, i]) => i > 0));
}

/** Adds `scale` × the normalised bag of `tokens` into `bag`; returns the unknown words. */
function accumulate(bag: Float32Array, index: Map<string, number>, tokens: WeightedToken[], scale: number): string[] {
  const known = tokens.filter((t) => index.has(t.token));
  for (const t of known) bag[index.get(t.token)!]! += (scale * t.weight) / known.length;
  return tokens.filter((t) => !index.has(t.token)).map((t) => t.token);
}

/** Training captions' bags, sparse: caption i has the rows tokens[offsets[i]..offsets[i+1]), each 1/their number. */
export class CaptionBags {
  constructor(
    readonly vocabSize: number,
    private readonly offsets: Uint32Array,
    private readonly tokens: Uint32Array,
  ) {}

  get count(): number {
    return this.offsets.length - 1;
  }

  /** Writes bag i densely into `out` from `at` (those vocabSize entries must be zero). */
  write(i: number, out: Float32Array, at = 0): void {
    const [from, to] = [this.offsets[i], this.offsets[i + 1]];
    for (let k = from; k! < to!; k!++) out[at + this.tokens[k!]!] = 1 / (to! - from!);
  }

  /** Bag i as a dense row of vocabSize weights. */
  row(i: number): Float32Array {
    const out = new Float32Array(this.vocabSize);
    this.write(i, out);
    return out;
  }
}

/** Bags for training captions: every known token of the caption with an equal share. */
export function captionBags(vocab: Vocabulary, captions: string[]): CaptionBags {
  const index = indexOf(vocab);
  const offsets = new Uint32Array(captions.length + 1);
  const tokens: number[] = [];
  captions.forEach((c, i) => {
    for (const t of new Set(captionTokens(c))) if (index.has(t)) tokens.push(index.get(t)!);
    offsets[i + 1] = tokens.length;
  });
  return new CaptionBags(vocab.tokens.length, offsets, Uint32Array.from(tokens));
}

export interface PromptBag {
  bag: Float32Array;
  /** Words of the prompt or negative prompt the model never saw: they have no effect. */
  unknown: string[];
}

export function promptBag(vocab: Vocabulary, positive: WeightedToken[], negative: WeightedToken[] = [], negativeScale = 0.5): PromptBag {
  const index = indexOf(vocab);
  const bag = new Float32Array(vocab.tokens.length);
  const unknown = [...accumulate(bag, index, positive, 1), ...accumulate(bag, index, negative, -negativeScale)];
  return { bag, unknown: [...new Set(unknown)] };
}

export function addTextEncoder(b: ParamBuilder, name: string, vocabSize: number, embDim: number, outDim: number): void {
  b.normal(`${name}/emb`, [vocabSize, embDim], 1, 1);
  b.dense(`${name}/fc`, embDim, outDim);
}

/** bag [B, V] → condition vector [B, outDim]. */
export function encodeText(p: Params, name: string, bag: tf.Tensor2D): tf.Tensor2D {
  return lrelu(dense(p, `${name}/fc`, tf.matMul(bag, p[`${name}/emb`] as tf.Tensor2D)));
}

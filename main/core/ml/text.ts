// Text conditioning for a model trained from scratch: a vocabulary built from the dataset's captions
// and a learned embedding per token. A caption or prompt becomes a "bag": one weight per vocabulary
// row (token weight / number of known tokens), so bag @ embedding is the weighted mean the model saw
// in training. A negative prompt subtracts its own bag, moving the vector away from those tokens.
import { captionTokens } from '#shared/text/tokenize';
import type { Vocabulary } from '#shared/vocabulary';
import { dense, lrelu } from './layers';
import type { ParamBuilder, Params } from './params';
import { tf } from '../compute/tf';

export const UNKNOWN = '<unk>';

export function buildVocabulary(captions: string[]): Vocabulary {
  const tokenised = captions.map((c) => [...new Set(captionTokens(c))]);
  const counts = new Map<string, number>();
  for (const toks of tokenised) for (const t of toks) counts.set(t, (counts.get(t) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
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
  for (const t of known) bag[index.get(t.token)!] += (scale * t.weight) / known.length;
  return tokens.filter((t) => !index.has(t.token)).map((t) => t.token);
}

/** Bags for training captions: every token of the caption with weight 1. */
export function captionBags(vocab: Vocabulary, captions: string[]): Float32Array {
  const v = vocab.tokens.length;
  const index = indexOf(vocab);
  const out = new Float32Array(captions.length * v);
  captions.forEach((c, i) => {
    const toks = [...new Set(captionTokens(c))].map((token) => ({ token, weight: 1 }));
    accumulate(out.subarray(i * v, (i + 1) * v), index, toks, 1);
  });
  return out;
}

export interface PromptBag {
  bag: Float32Array;
  /** Words of the prompt or negative prompt the model never saw: they have no effect. */
  unknown: string[];
}

export function promptBag(
  vocab: Vocabulary,
  positive: WeightedToken[],
  negative: WeightedToken[] = [],
  negativeScale = 0.5,
): PromptBag {
  const index = indexOf(vocab);
  const bag = new Float32Array(vocab.tokens.length);
  const unknown = [
    ...accumulate(bag, index, positive, 1),
    ...accumulate(bag, index, negative, -negativeScale),
  ];
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

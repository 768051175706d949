// The one entry point the engine's conditioning uses, for the prompt and the negative prompt alike.
import { parsePrompt } from './parse';

export interface WeightedToken {
  token: string;
  weight: number;
}

/**
 * Weights are clamped to ±MAX_ABS_WEIGHT and NaN becomes 0: deep nesting or `(a:1e999)` overflow
 * to ±Infinity/NaN in A1111 too, and one such value would poison the whole conditioning vector.
 */
export const MAX_ABS_WEIGHT = 100;

function clampWeight(w: number): number {
  if (Number.isNaN(w)) return 0;
  return Math.min(MAX_ABS_WEIGHT, Math.max(-MAX_ABS_WEIGHT, w));
}

/**
 * Every word token of the prompt, in order and with repeats, with its effective weight: the
 * attention weight of its segment × the `:weight` of its AND sub-prompt. BREAK only separates
 * chunks, which a bag-of-words conditioning does not need, so it contributes no token.
 */
export function promptToWeightedTokens(prompt: string): WeightedToken[] {
  const out: WeightedToken[] = [];
  for (const sub of parsePrompt(prompt).subprompts) {
    for (const chunk of sub.chunks) {
      for (const seg of chunk) {
        const weight = clampWeight(seg.weight * sub.weight);
        for (const token of seg.tokens) out.push({ token, weight });
      }
    }
  }
  return out;
}

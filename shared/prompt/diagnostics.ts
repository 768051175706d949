// Vocabulary-aware prompting. A model trained from scratch knows only the words of its training
// captions, so the editor shows which prompt words are unknown (they do nothing), what the user
// probably meant (spelling distance, then how often the candidate appeared with the prompt's known
// words), completions ranked by frequency, and prompts built from words that co-occur in training.
import { normalizeText } from '../text/tokenize';
import type { Vocabulary } from '../vocabulary';
import { promptToWeightedTokens } from './weighted-tokens';

export interface Suggestion {
  token: string;
  /** Another form of the same word (dwarf → dwarves, elf → elves, run → running): ranked first. */
  sameStem: boolean;
  /** Edit distance (optimal string alignment, in code points) from the unknown word. */
  distance: number;
  /** Training captions with this token, weighted by how many of the prompt's known words they hold. */
  cooccurrence: number;
  /** Training captions with this token. */
  count: number;
}

export interface UnknownWord {
  word: string;
  suggestions: Suggestion[];
}

export interface PromptDiagnosis {
  known: string[];
  unknown: UnknownWord[];
}

export interface RankedToken {
  token: string;
  count: number;
  cooccurrence: number;
}

/** Token → caption count, without row 0 (padding/unknown, not a word). */
function countsOf(vocab: Vocabulary): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 1; i < vocab.tokens.length; i++) counts.set(vocab.tokens[i]!, vocab.counts[i] ?? 0);
  return counts;
}

function promptWords(prompt: string): string[] {
  return [...new Set(promptToWeightedTokens(prompt).map((t) => t.token))];
}

/** For every token: Σ over training captions that contain it of |caption ∩ words|. */
function cooccurrence(vocab: Vocabulary, words: Set<string>): Map<string, number> {
  const scores = new Map<string, number>();
  for (const caption of vocab.captions) {
    const shared = new Set(caption.filter((t) => words.has(t))).size;
    if (shared === 0) continue;
    for (const t of new Set(caption)) scores.set(t, (scores.get(t) ?? 0) + shared);
  }
  return scores;
}

/** Optimal-string-alignment distance, or Infinity once it must exceed `max` (keeps big vocabularies fast). */
export function editDistance(a: string, b: string, max = Infinity): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return Infinity;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return Infinity;
    prev2 = prev;
    prev = row;
  }
  return prev[t.length]! > max ? Infinity : prev[t.length]!;
}

/**
 * A crude English stem: plural and verb endings taken off, so that the forms of one word meet
 * (dwarves → dwarf, elves → elf, knives → knif(e), cities → city, boxes → box, running → run).
 * Only used to find another form of a word the model knows, never to change a prompt by itself.
 */
export function stemOf(word: string): string {
  const w = word.toLowerCase();
  const rules: [RegExp, string][] = [
    [/(.{2,})ves$/u, '$1f'],
    [/(.{2,})fe$/u, '$1f'],
    [/(.{2,})ies$/u, '$1y'],
    [/(.{2,}(?:s|x|z|ch|sh))es$/u, '$1'],
    [/(.{2,}[^s])s$/u, '$1'],
    [/(.{2,}?)(.)\2ing$/u, '$1$2'],
    [/(.{3,})ing$/u, '$1'],
    [/(.{2,}?)(.)\2ed$/u, '$1$2'],
    [/(.{3,})ed$/u, '$1'],
  ];
  for (const [ending, base] of rules) if (ending.test(w)) return w.replace(ending, base);
  return w;
}

/** Short words tolerate one typo, longer ones one per three characters; never the whole word. */
function maxDistanceFor(word: string): number {
  const n = Array.from(word).length;
  return Math.min(n - 1, Math.max(1, Math.floor(n / 3)));
}

const byRank = (a: RankedToken, b: RankedToken) =>
  b.cooccurrence - a.cooccurrence || b.count - a.count || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);

/** Known and unknown words of a prompt, each unknown with up to `maxSuggestions` likely meant words. */
export function diagnosePrompt(prompt: string, vocab: Vocabulary, maxSuggestions = 5): PromptDiagnosis {
  const counts = countsOf(vocab);
  const words = promptWords(prompt);
  const known = words.filter((w) => counts.has(w));
  const together = cooccurrence(vocab, new Set(known));
  const unknown = words
    .filter((w) => !counts.has(w))
    .map((word) => {
      const max = maxDistanceFor(word);
      const stem = stemOf(word);
      const suggestions: Suggestion[] = [];
      for (const [token, count] of counts) {
        const sameStem = stemOf(token) === stem;
        const distance = editDistance(word, token, sameStem ? Infinity : max);
        if (sameStem || distance <= max) suggestions.push({ token, sameStem, distance, count, cooccurrence: together.get(token) ?? 0 });
      }
      suggestions.sort((a, b) => Number(b.sameStem) - Number(a.sameStem) || a.distance - b.distance || byRank(a, b));
      return { word, suggestions: suggestions.slice(0, maxSuggestions) };
    });
  return { known, unknown };
}

/** Known tokens starting with the (normalised) prefix, most frequent first. */
export function autocomplete(prefix: string, vocab: Vocabulary, limit = 10): RankedToken[] {
  const p = normalizeText(prefix);
  return [...countsOf(vocab)]
    .filter(([token]) => token.startsWith(p))
    .map(([token, count]) => ({ token, count, cooccurrence: 0 }))
    .sort(byRank)
    .slice(0, limit);
}

/** Words that appeared in training alongside the prompt's known words; the most frequent if none. */
export function suggestTags(prompt: string, vocab: Vocabulary, limit = 10): RankedToken[] {
  const counts = countsOf(vocab);
  const known = new Set(promptWords(prompt).filter((w) => counts.has(w)));
  const together = cooccurrence(vocab, known);
  return [...counts]
    .filter(([token]) => !known.has(token) && (known.size === 0 || together.has(token)))
    .map(([token, count]) => ({ token, count, cooccurrence: together.get(token) ?? 0 }))
    .sort(byRank)
    .slice(0, limit);
}

/**
 * Up to `limit` prompts that look like training captions: the prompt's known words, then the i-th
 * suggested tag, then greedily the word most often seen with all words so far, while some training
 * caption still holds them all (at most `maxWords` words).
 */
export function suggestPrompts(prompt: string, vocab: Vocabulary, limit = 5, maxWords = 8): string[] {
  const counts = countsOf(vocab);
  const known = promptWords(prompt).filter((w) => counts.has(w));
  const captions = vocab.captions.map((c) => new Set(c));
  const out: string[] = [];
  const seen = new Set<string>(); // the same words in another order are the same suggestion
  for (const first of suggestTags(prompt, vocab, limit)) {
    const words = [...known, first.token];
    for (;;) {
      const holding = captions.filter((c) => words.every((w) => c.has(w)));
      if (holding.length === 0 || words.length >= maxWords) break;
      const next = new Map<string, number>();
      for (const c of holding) for (const t of c) if (counts.has(t) && !words.includes(t)) next.set(t, (next.get(t) ?? 0) + 1);
      const best = [...next].sort((a, b) => b[1] - a[1] || counts.get(b[0])! - counts.get(a[0])! || (a[0] < b[0] ? -1 : 1))[0];
      if (!best) break;
      words.push(best[0]);
    }
    const key = [...words].sort().join('\n');
    if (!seen.has(key)) out.push(words.join(', '));
    seen.add(key);
  }
  return out;
}

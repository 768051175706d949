// The whole expansion pipeline behind `prompt expand` and the Generate page: prompt matrix first
// (when asked), then wildcards, either every combination or one seeded pick per image.
import { expandMatrix } from './matrix';
import { checkLimit, countExpansions, DEFAULT_EXPANSION_LIMIT, expandCombinatorial, expandRandom } from './wildcards';

export interface ExpandOptions {
  /** Treat top-level `|` as A1111 prompt-matrix separators. */
  matrix?: boolean;
  /** List every wildcard combination instead of seeded picks. */
  combinatorial?: boolean;
  /** Seed of the first image; image i picks its wildcards with seed + i. */
  seed?: number;
  /** Images per matrix cell in seeded mode. */
  count?: number;
  /** Most prompts allowed in total (default 1000). */
  limit?: number;
}

export function expandPrompt(template: string, options: ExpandOptions = {}): string[] {
  const { matrix = false, combinatorial = false, seed = 0, count = 1, limit = DEFAULT_EXPANSION_LIMIT } = options;
  const cells = matrix ? expandMatrix(template, { limit }).map((c) => c.prompt) : [template];
  if (combinatorial) {
    const total = cells.reduce((n, cell) => n + countExpansions(cell), 0);
    checkLimit(total, limit, 'This prompt');
    return cells.flatMap((cell) => expandCombinatorial(cell, limit));
  }
  checkLimit(cells.length * count, limit, `${cells.length * count} images`);
  return cells.flatMap((cell) => expandRandom(cell, seed, count, limit));
}

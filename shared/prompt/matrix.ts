// A1111's Prompt Matrix script (scripts/prompt_matrix.py): `base | a | b` lists the base prompt with
// every subset of the optional parts, 2^n prompts, part k included when bit k of the index is set.
// One deliberate difference: a `|` inside a `{…}` wildcard or escaped as `\|` does not split.
import { checkLimit, DEFAULT_EXPANSION_LIMIT, splitOutsideVariants } from './wildcards';

export interface MatrixCell {
  prompt: string;
  /** The optional parts this cell includes (trimmed), for the grid's annotations. */
  enabled: string[];
}

export interface MatrixOptions {
  /** Put the optional parts before the base prompt (A1111 "Set at prompt start"). */
  putAtStart?: boolean;
  /** ", " (A1111 "comma", the default) or " " ("space"). */
  delimiter?: string;
  limit?: number;
}

/** Python's `text.strip().strip(',')`, which A1111 applies to each optional part. */
function stripPart(text: string): string {
  return text.trim().replace(/^,+|,+$/gu, '');
}

export function expandMatrix(prompt: string, options: MatrixOptions = {}): MatrixCell[] {
  const { putAtStart = false, delimiter = ', ', limit = DEFAULT_EXPANSION_LIMIT } = options;
  const [base, ...optional] = splitOutsideVariants(prompt, '|');
  const count = 2 ** optional.length;
  checkLimit(count, limit, `A prompt matrix with ${optional.length} optional parts`);
  const parts = optional.map(stripPart);
  return Array.from({ length: count }, (_, index) => {
    const enabled = parts.filter((_, k) => Math.floor(index / 2 ** k) % 2 === 1);
    const ordered = putAtStart ? [...enabled, base] : [base, ...enabled];
    return { prompt: ordered.join(delimiter), enabled };
  });
}

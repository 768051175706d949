// Turns what a user typed into an FTS5 query. Each whitespace-separated term is quoted (so `-`, `:`,
// `AND`, `*` or a stray quote are text, never query syntax) and matched as a prefix; all must match.

/** The MATCH expression, or null when the text has nothing searchable in it. */
export function ftsQuery(text: string): string | null {
  const terms = text
    .normalize('NFC')
    .split(/\s+/u)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .map((t) => `"${t.replaceAll('"', '""')}"*`);
  return terms.length > 0 ? terms.join(' ') : null;
}

// Text a person types that the app stores and writes into image files: prompts, negatives, captions,
// preset and tag names. Control characters (NUL, escape, backspace, …) and lone UTF-16 halves are
// refused where the text comes in, with where they are, rather than failing later half-way through
// writing a PNG text chunk. Tabs and line breaks stay: prompts may span lines.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\p{Cs}/u;

/** Why `text` is refused, or null when it is fine. */
export function controlCharacterProblem(text: string): string | null {
  const found = CONTROL.exec(text);
  if (!found) return null;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  const what = code.length === 4 && /^D[89A-F]/u.test(code) ? 'half of a UTF-16 pair' : 'the control character';
  return `contains ${what} U+${code} at character ${found.index + 1}; this text must be plain text, so remove it`;
}

// Caption and prompt tokenisation shared by the engine (vocabulary), the prompt language and the UI.
// Captions arrive in any language: tags split on ASCII and CJK separators, words by Intl.Segmenter so
// that Chinese or Japanese text without spaces still yields words.

const TAG_SEPARATORS = /[,，、;；\n]+/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** NFC, lower-case, trimmed, inner whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Comma-separated tags of a caption, normalised, empty ones dropped. */
export function splitTags(text: string): string[] {
  return normalizeText(text)
    .split(TAG_SEPARATORS)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** Word tokens of a piece of text: word-like segments only (no punctuation or spaces). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(normalizeText(text))) {
    if (s.isWordLike) words.push(s.segment);
  }
  return words;
}

/** The tokens a caption contributes to a vocabulary: every word of every tag. */
export function captionTokens(caption: string): string[] {
  return splitTags(caption).flatMap(splitWords);
}

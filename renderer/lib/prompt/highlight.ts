// Splits a prompt into coloured spans for the editor: brackets, explicit weights, BREAK/AND, wildcard
// braces and plain text carrying its effective attention weight. Weights follow the same A1111 rules
// as shared/prompt/parse.ts (the unit test checks every text span against parseAttention); unlike the
// parser this keeps every character, so the spans laid over the textarea line up with what was typed.
import { ROUND_MULTIPLIER, SQUARE_MULTIPLIER } from '#shared/prompt/parse';

export type SpanKind = 'text' | 'bracket' | 'weight' | 'keyword' | 'wildcard' | 'escape';

export interface Span {
  text: string;
  kind: SpanKind;
  /** Effective attention weight of a text or escape span; 1 for syntax. */
  weight: number;
}

const TOKEN = /\\[\s\S]?|\(|\[|:\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*\)|\)|\]|[{}|]|\b(?:BREAK|AND)\b|[^\\()[\]:{}|BA]+|[\s\S]/gu;

export function highlightPrompt(prompt: string): Span[] {
  const spans: Span[] = [];
  const round: number[] = [];
  const square: number[] = [];
  const multiplyFrom = (start: number, m: number) => {
    for (let i = start; i < spans.length; i++) if (spans[i]!.kind === 'text' || spans[i]!.kind === 'escape') spans[i]!.weight *= m;
  };
  const push = (text: string, kind: SpanKind) => spans.push({ text, kind, weight: 1 });
  for (const m of prompt.matchAll(TOKEN)) {
    const tok = m[0];
    if (tok.startsWith('\\') && tok.length === 2) push(tok, 'escape');
    else if (tok === '(') {
      round.push(spans.length);
      push(tok, 'bracket');
    } else if (tok === '[') {
      square.push(spans.length);
      push(tok, 'bracket');
    } else if (m[1] !== undefined && round.length) {
      multiplyFrom(round.pop()!, Number(m[1]));
      push(tok, 'weight');
    } else if (tok === ')' && round.length) {
      multiplyFrom(round.pop()!, ROUND_MULTIPLIER);
      push(tok, 'bracket');
    } else if (tok === ']' && square.length) {
      multiplyFrom(square.pop()!, SQUARE_MULTIPLIER);
      push(tok, 'bracket');
    } else if (tok === 'BREAK' || tok === 'AND') push(tok, 'keyword');
    else if (tok === '{' || tok === '}' || tok === '|') push(tok, 'wildcard');
    else push(tok, 'text');
  }
  for (const pos of round) multiplyFrom(pos, ROUND_MULTIPLIER);
  for (const pos of square) multiplyFrom(pos, SQUARE_MULTIPLIER);
  return merge(spans);
}

function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && last.kind === 'text' && s.kind === 'text' && last.weight === s.weight) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

/** The word being typed at `caret` (letters, digits, `_`, `-`), for autocomplete. */
export function wordAt(text: string, caret: number): { word: string; start: number; end: number } {
  let start = caret;
  while (start > 0 && /[\p{L}\p{N}_-]/u.test(text[start - 1]!)) start--;
  let end = caret;
  while (end < text.length && /[\p{L}\p{N}_-]/u.test(text[end]!)) end++;
  return { word: text.slice(start, caret), start, end };
}

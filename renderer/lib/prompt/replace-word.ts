// Taking a did-you-mean suggestion: every whole-word occurrence of the unknown word becomes the
// suggested one (weights and brackets around it stay as typed).

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

export function replaceWord(text: string, word: string, replacement: string): string {
  const whole = new RegExp(`(?<![\\p{L}\\p{N}_])${escape(word)}(?![\\p{L}\\p{N}_])`, 'giu');
  return text.replace(whole, () => replacement);
}

// The Generate page's help for any set of prompt boxes (Edit, Walk, Animate): each box's words checked
// against the run's vocabulary (the words it never learned, with did-you-mean suggestions), and
// completions of the word being typed. Checks wait for a pause in typing; a late answer is dropped.
import type { Api } from '../api/client';
import type { PromptCheckT } from '../api/types';

export type UnknownWords = PromptCheckT['unknown'];
const PAUSE_MS = 250;

export class PromptWords {
  /** Unknown words by box name; a box that is not listed has none. */
  unknown = $state<Record<string, UnknownWords>>({});
  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Api) {}

  /** Checks `boxes` (name → text) after a pause; with no run there is nothing to check against. */
  watch(runId: number | null, boxes: Record<string, string>): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(runId, boxes), PAUSE_MS);
  }

  async check(runId: number | null, boxes: Record<string, string>): Promise<void> {
    const mine = ++this.asked;
    const named = Object.entries(boxes).filter(([, text]) => text.trim() !== '');
    if (runId === null) return void (this.unknown = {});
    try {
      const found = await Promise.all(
        named.map(async ([name, prompt]) => [name, (await this.api.call('prompts.check', { prompt, runId })).unknown] as const),
      );
      if (mine === this.asked) this.unknown = Object.fromEntries(found.filter(([, words]) => words.length));
    } catch {
      if (mine === this.asked) this.unknown = {};
    }
  }
}

/** The run's words that start with `prefix`, most used first. */
export async function completeWord(api: Api, runId: number | null, prefix: string): Promise<string[]> {
  if (runId === null || !prefix) return [];
  return (await api.call('prompts.complete', { runId, prefix, limit: 8 })).map((w) => w.token);
}

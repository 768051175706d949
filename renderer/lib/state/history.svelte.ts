// Prompt history: searchable, newest use first, one keyset page at a time.
import type { Api } from '../api/client';
import type { PromptUseT } from '../api/types';

export class HistoryState {
  text = $state('');
  items = $state<PromptUseT[]>([]);
  next = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly api: Api) {}

  async search(): Promise<void> {
    try {
      const page = await this.api.call('prompts.history', { limit: 100, ...(this.text.trim() ? { text: this.text.trim() } : {}) });
      this.items = page.items;
      this.next = page.next;
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async more(): Promise<void> {
    if (this.next === null) return;
    const page = await this.api.call('prompts.history', {
      limit: 100,
      cursor: this.next,
      ...(this.text.trim() ? { text: this.text.trim() } : {}),
    });
    this.items.push(...page.items);
    this.next = page.next;
  }
}

// Prompt presets (A1111 styles): list, edit, import and export as styles.csv or JSON.
import type { Api } from '../api/client';
import type { PresetT } from '../api/types';

export interface Draft {
  id: number | null;
  name: string;
  positive: string;
  negative: string;
}

export class PresetsState {
  items = $state<PresetT[]>([]);
  draft = $state<Draft | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  constructor(private readonly api: Api) {}

  async refresh(): Promise<void> {
    this.items = await this.api.call('presets.list', {});
  }

  edit(p: PresetT | null): void {
    this.draft = p
      ? { id: p.id, name: p.name, positive: p.positive, negative: p.negative }
      : { id: null, name: '', positive: '{prompt}', negative: '' };
  }

  private async run(f: () => Promise<string | null>): Promise<void> {
    this.error = null;
    try {
      this.notice = await f();
      await this.refresh();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  save = () =>
    this.run(async () => {
      const d = this.draft;
      if (!d) return null;
      const preset = { name: d.name.trim(), positive: d.positive, negative: d.negative };
      if (d.id === null) await this.api.call('presets.create', preset);
      else await this.api.call('presets.update', { id: d.id, preset });
      this.draft = null;
      return `Saved "${preset.name}"`;
    });

  remove = (p: PresetT) =>
    this.run(async () => {
      await this.api.call('presets.delete', { id: p.id });
      if (this.draft?.id === p.id) this.draft = null;
      return `Deleted "${p.name}"`;
    });

  import = (format: 'csv' | 'json', text: string) =>
    this.run(async () => {
      const r = await this.api.call('presets.import', { format, text });
      return `Imported: ${r.created} new, ${r.updated} updated${r.skipped.length ? `, skipped ${r.skipped.join(', ')}` : ''}`;
    });

  async export(format: 'csv' | 'json'): Promise<{ text: string; filename: string }> {
    return this.api.call('presets.export', { format });
  }
}

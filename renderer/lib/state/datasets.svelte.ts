// The Datasets page: the folder being looked at, its Doctor report, and caption edits.
import type { DatasetImageT, DatasetT, DoctorReportT } from '../api/types';
import type { Api } from '../api/client';
import { FolderChoice } from './folder-choice.svelte';

export interface DuplicateGroup {
  /** The group's image ids, sorted and joined. */
  key: string;
  images: DatasetImageT[];
}

export class DatasetsState extends FolderChoice {
  folder = $state('');
  report = $state<DoctorReportT | null>(null);
  datasets = $state<DatasetT[]>([]);
  busy = $state(false);
  progress = $state<{ done: number; total: number } | null>(null);
  notice = $state<string | null>(null);

  constructor(api: Api) {
    super(api);
    api.on((e) => {
      if (e.type === 'dataset.progress' && this.busy) this.progress = { done: e.done, total: e.total };
    });
  }

  async refresh(): Promise<void> {
    this.datasets = await this.api.call('datasets.list', {});
  }

  async open(folder = this.folder): Promise<void> {
    const path = unquote(folder);
    if (!path) {
      this.error = 'Enter the path of a folder of images.';
      return;
    }
    this.folder = path;
    this.busy = true;
    this.error = null;
    this.notice = null;
    this.progress = null;
    try {
      this.report = await this.api.call('datasets.open', { folder: path });
      await this.refresh();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  protected useFolder(folder: string): Promise<void> {
    return this.open(folder);
  }

  /** Saves a caption; the folder is written to (a sidecar .txt) only when `writeSidecar`. */
  async setCaption(imageId: number, caption: string, writeSidecar: boolean): Promise<void> {
    this.error = null;
    try {
      const { image, sidecarPath } = await this.api.call('datasets.setCaption', { imageId, caption, writeSidecar });
      if (this.report) this.report.images = this.report.images.map((i) => (i.imageId === imageId ? image : i));
      this.notice = sidecarPath ? `Caption written to ${sidecarPath}` : 'Caption saved in Homegrown (the folder was not changed)';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Near-duplicate groups, each with its images (names, sizes, captions). */
  get duplicateGroups(): DuplicateGroup[] {
    if (!this.report) return [];
    // A lookup made and read within this getter: nothing reacts to it, so a plain Map.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byId = new Map(this.report.images.map((i) => [i.imageId, i]));
    return this.report.nearDuplicates.map((ids) => ({
      key: [...ids].sort((a, b) => a - b).join(','),
      images: ids.flatMap((id) => byId.get(id) ?? []),
    }));
  }

  /** "These are not duplicates" (or intended variants): Homegrown remembers, and stops listing the group. */
  async dismiss(group: DuplicateGroup): Promise<void> {
    const report = this.report;
    if (!report) return;
    this.error = null;
    try {
      await this.api.call('datasets.notDuplicates', { datasetId: report.dataset.id, paths: group.images.map((i) => i.path) });
      report.nearDuplicates = report.nearDuplicates.filter((ids) => [...ids].sort((a, b) => a - b).join(',') !== group.key);
      this.notice = 'Not duplicates: this group will not be listed again';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /**
   * Keeps one image of a group and moves the others (with their captions) into the folder's
   * .set-aside folder, which training skips; then checks the folder again.
   */
  async setAside(group: DuplicateGroup, keep: number): Promise<void> {
    const report = this.report;
    if (!report) return;
    const paths = group.images.filter((i) => i.imageId !== keep).map((i) => i.path);
    this.error = null;
    try {
      const r = await this.api.call('datasets.setAside', { datasetId: report.dataset.id, paths });
      await this.open(report.dataset.root);
      this.notice = `Moved ${r.moved.length} file${r.moved.length === 1 ? '' : 's'} to ${r.folder} (nothing was deleted; move a file back to use it again)`;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  get accepted(): number {
    return this.report?.summary.accepted ?? 0;
  }
}

/** A path as typed or pasted: trimmed, and without the quotes "copy as path" puts around it. */
export function unquote(text: string): string {
  const t = text.trim();
  return /^(["']).*\1$/su.test(t) && t.length >= 2 ? t.slice(1, -1).trim() : t;
}

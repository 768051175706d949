// The Datasets page: the folder being looked at, its Doctor report, and caption edits.
import type { DatasetT, DoctorReportT } from '../api/types';
import type { Api } from '../api/client';



export class DatasetsState {
  folder = $state('');
  report = $state<DoctorReportT | null>(null);
  datasets = $state<DatasetT[]>([]);
  busy = $state(false);
  error = $state<string | null>(null);
  progress = $state<{ done: number; total: number } | null>(null);
  notice = $state<string | null>(null);

  constructor(private readonly api: Api) {
    api.on((e) => {
      if (e.type === 'dataset.progress' && this.busy) this.progress = { done: e.done, total: e.total };
    });
  }

  async refresh(): Promise<void> {
    this.datasets = await this.api.call('datasets.list', {});
  }

  async open(folder = this.folder): Promise<void> {
    const path = folder.trim();
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

  /** The native folder dialog (Electron only); opens the chosen folder. */
  async pick(): Promise<void> {
    try {
      const { folder } = await this.api.call('app.pickFolder', {});
      if (folder) await this.open(folder);
    } catch (e) {
      this.error = (e as Error).message;
    }
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

  get accepted(): number {
    return this.report?.summary.accepted ?? 0;
  }
}

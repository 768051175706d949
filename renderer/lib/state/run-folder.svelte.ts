// "Add run folder…" on the Train page: a run folder made elsewhere (the command line, another machine)
// added to the library by its path, the native dialog (Electron) or the folder browser (web mode).
import type { Api } from '../api/client';
import type { RunT } from '../api/types';

export class RunFolderState {
  open = $state(false);
  folder = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  /** The folder browser (web mode's folder picker): the folder shown and its sub-folders. */
  browsing = $state<{ folder: string; parent: string | null; folders: string[] } | null>(null);

  constructor(
    private readonly api: Api,
    /** Called with the run once it is in the library. */
    private readonly added: (run: RunT) => Promise<void>,
  ) {}

  async add(folder = this.folder): Promise<void> {
    if (!folder.trim()) {
      this.error = 'Enter the path of a run folder.';
      return;
    }
    this.folder = folder;
    this.busy = true;
    this.error = null;
    try {
      const run = await this.api.call('runs.add', { folder });
      this.open = false;
      this.folder = '';
      await this.added(run);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** The native folder dialog (Electron only); adds the chosen folder. */
  async pick(): Promise<void> {
    try {
      const { folder } = await this.api.call('app.pickFolder', {});
      if (folder) await this.add(folder);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async browse(folder?: string): Promise<void> {
    try {
      this.browsing = await this.api.call('app.browseFolder', folder === undefined ? {} : { folder });
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async chooseBrowsed(): Promise<void> {
    const folder = this.browsing?.folder;
    this.browsing = null;
    if (folder) await this.add(folder);
  }
}

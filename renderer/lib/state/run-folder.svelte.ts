// "Add run folder…" on the Train page: a run folder made elsewhere (the command line, another machine)
// added to the library by its path, the native dialog (Electron) or the folder browser (web mode).
import type { Api } from '../api/client';
import type { RunT } from '../api/types';
import { FolderChoice } from './folder-choice.svelte';

export class RunFolderState extends FolderChoice {
  open = $state(false);
  folder = $state('');
  busy = $state(false);

  constructor(
    api: Api,
    /** Called with the run once it is in the library. */
    private readonly added: (run: RunT) => Promise<void>,
  ) {
    super(api);
  }

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

  protected useFolder(folder: string): Promise<void> {
    return this.add(folder);
  }
}

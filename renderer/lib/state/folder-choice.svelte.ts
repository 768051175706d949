// Choosing a folder in the app: the native dialog (Electron only) or, in web mode, the server's folder
// browser, which lists only folders inside the user's home. A page's state says what a chosen folder is
// for (`useFolder`); its errors show where the page shows its own.
import type { Api } from '../api/client';

export abstract class FolderChoice {
  error = $state<string | null>(null);
  /** The folder browser (web mode's folder picker): the folder shown and its sub-folders. */
  browsing = $state<{ folder: string; parent: string | null; folders: string[] } | null>(null);

  constructor(protected readonly api: Api) {}

  /** What the page does with a chosen folder. */
  protected abstract useFolder(folder: string): Promise<void>;

  /** The native folder dialog (Electron only); uses the chosen folder. */
  async pick(): Promise<void> {
    try {
      const { folder } = await this.api.call('app.pickFolder', {});
      if (folder) await this.useFolder(folder);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Shows a folder's sub-folders (default: the home folder); the server lists only folders inside home. */
  async browse(folder?: string): Promise<void> {
    try {
      this.browsing = await this.api.call('app.browseFolder', folder === undefined ? {} : { folder });
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Uses the folder being browsed and closes the browser. */
  async chooseBrowsed(): Promise<void> {
    const folder = this.browsing?.folder;
    this.browsing = null;
    if (folder) await this.useFolder(folder);
  }
}

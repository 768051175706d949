// What the Electron preload exposes as `window.homegrown` (main/electron/preload-api.ts builds it, the
// renderer's IPC transport calls it): one function per API method, onEvent, and pathForFile.
import type { MethodName } from './names';

export type PreloadApi = Record<MethodName, (input?: unknown) => Promise<unknown>> & {
  onEvent(listener: (event: unknown) => void): () => void;
  /** The path of a file or folder dropped on the page (Chromium hides it from pages). */
  pathForFile(file: File): string;
};

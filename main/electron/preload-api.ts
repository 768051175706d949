// What the preload exposes as `window.homegrown`: one function per API method, `onEvent` and
// `pathForFile`, built
// over an invoke and a subscribe function so it can be tested without Electron. Nothing else (no
// ipcRenderer, no event objects) reaches the page.
import { IPC_CHANNELS, METHOD_NAMES } from '#shared/api/names';
import type { PreloadApi } from '#shared/api/preload';
import type { IpcResult } from './ipc';

/** The renderer side of an ApiError: a plain Error carrying the body's fields. */
function failure(body: Extract<IpcResult, { ok: false }>['error']): Error {
  return Object.assign(new Error(body.message), body);
}

export function buildExposedApi(
  invoke: (channel: string, method: string, input: unknown) => Promise<IpcResult>,
  subscribe: (channel: string, listener: (payload: unknown) => void) => () => void,
  pathForFile: (file: File) => string,
): PreloadApi {
  const api = {} as PreloadApi;
  for (const method of METHOD_NAMES) {
    api[method] = async (input: unknown = {}) => {
      const result = await invoke(IPC_CHANNELS.call, method, input);
      if (!result.ok) throw failure(result.error);
      return result.value;
    };
  }
  api.onEvent = (listener) => subscribe(IPC_CHANNELS.event, listener);
  api.pathForFile = (file) => pathForFile(file);
  return Object.freeze(api);
}

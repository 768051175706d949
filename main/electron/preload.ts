// Preload (sandboxed): exposes exactly the named API calls, event subscription and the path of a
// dropped file as window.homegrown.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { IpcResult } from './ipc';
import { buildExposedApi } from './preload-api';

const api = buildExposedApi(
  (channel, method, input) => ipcRenderer.invoke(channel, method, input) as Promise<IpcResult>,
  (channel, listener) => {
    // The page gets the payload only, never the IPC event (which would leak `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
  (file) => webUtils.getPathForFile(file),
);

contextBridge.exposeInMainWorld('homegrown', api);

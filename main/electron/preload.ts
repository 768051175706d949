// Preload (sandboxed): exposes exactly the named API calls and event subscription as window.homegrown.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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
);

contextBridge.exposeInMainWorld('homegrown', api);

// The renderer's one API object: IPC when the Electron preload put `window.homegrown` there, HTTP + SSE
// otherwise. Calls are typed by the contract in shared/api; events are checked against its schema, so a
// page only ever sees well-formed events (unknown types are dropped, as the contract asks).
import { ApiEventSchema, type ApiEvent } from '#shared/api/events';
import type { Call, Input, MethodName, Output } from '#shared/api/index';
import { HTTP } from '#shared/api/names';
import { HttpTransport } from './http';
import { IpcTransport, type PreloadApi } from './ipc';
import type { ConnectionState, Transport } from './transport';

export type { ApiEvent, ConnectionState };

export class Api {
  private listeners = new Set<(e: ApiEvent) => void>();
  private stateListeners = new Set<(s: ConnectionState) => void>();
  private stop: (() => void) | null = null;

  constructor(readonly transport: Transport) {}

  call: Call = <M extends MethodName>(method: M, input: Input<M>) => this.transport.call(method, input) as Promise<Output<M>>;

  imageUrl(kind: 'dataset' | 'sheet' | 'generation', id: number): string {
    return this.transport.imageUrl(kind, id);
  }

  /** Where a dropped file or folder lives (Electron), else null. */
  pathForFile(file: File): string | null {
    return this.transport.pathForFile?.(file) ?? null;
  }

  /** Subscribes to app events; the transport starts listening with the first subscriber. */
  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    this.start();
    return () => this.listeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    this.start();
    return () => this.stateListeners.delete(listener);
  }

  private start(): void {
    if (this.stop) return;
    this.stop = this.transport.listen(
      (raw) => {
        const parsed = ApiEventSchema.safeParse(raw);
        if (parsed.success) for (const l of this.listeners) l(parsed.data);
      },
      (s) => {
        for (const l of this.stateListeners) l(s);
      },
    );
  }

  close(): void {
    this.stop?.();
    this.stop = null;
  }
}

/** The token arrives once in the page address (as Jupyter does); it is kept for the session and dropped from the address bar. */
export function webToken(loc: Location, storage: Storage, history: History): string {
  const params = new URLSearchParams(loc.search);
  const fromUrl = params.get(HTTP.tokenParam);
  if (fromUrl) {
    storage.setItem('homegrown-token', fromUrl);
    params.delete(HTTP.tokenParam);
    const rest = params.toString();
    history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
    return fromUrl;
  }
  return storage.getItem('homegrown-token') ?? '';
}

export function createApi(win: Window & { homegrown?: PreloadApi }): Api {
  if (win.homegrown) return new Api(new IpcTransport(win.homegrown));
  const base = win.location.pathname.replace(/\/[^/]*$/, '');
  return new Api(new HttpTransport(base, webToken(win.location, win.sessionStorage, win.history)));
}

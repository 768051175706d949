// The IPC bridge: one invoke channel for API calls, one push channel for events (names in
// shared/api/names.ts). A call from a sender that is not one of our windows showing our page, on a
// channel we do not know, or with a malformed envelope is refused before anything runs; the service
// then validates the input against its schema, so a bad payload is rejected whole, never half-applied.
import { ApiError, type ApiErrorBody } from '#shared/api/common';
import { IPC_CHANNELS } from '#shared/api/names';
import { isAppUrl } from './security';

/** What a call resolves to in the renderer (Electron would drop an Error's code across IPC). */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<IpcResult>): void;
}

export interface CallTarget {
  call(method: string, input: unknown): Promise<unknown>;
}

export class IpcBridge {
  /** webContents ids of our windows. */
  private readonly windows = new Set<number>();

  constructor(private readonly service: CallTarget) {}

  addWindow(contentsId: number): void {
    this.windows.add(contentsId);
  }

  removeWindow(contentsId: number): void {
    this.windows.delete(contentsId);
  }

  isTrusted(event: IpcEventLike): boolean {
    return this.windows.has(event.sender.id) && isAppUrl(event.senderFrame?.url);
  }

  async handle(channel: string, event: IpcEventLike, args: unknown[]): Promise<IpcResult> {
    try {
      if (channel !== IPC_CHANNELS.call) throw new ApiError('unknown-method', `Unknown IPC channel "${channel}"`);
      if (!this.isTrusted(event)) throw new ApiError('unauthorized', 'This IPC message does not come from the app window');
      if (args.length !== 2 || typeof args[0] !== 'string') throw new ApiError('invalid-input', 'An API call is (method, input)');
      return { ok: true, value: await this.service.call(args[0], args[1]) };
    } catch (err) {
      return { ok: false, error: err instanceof ApiError ? err.toBody() : new ApiError('internal', String(err)).toBody() };
    }
  }

  /** Registers the call channel; other channels have no handler, so Electron rejects them. */
  register(ipcMain: IpcMainLike): void {
    ipcMain.handle(IPC_CHANNELS.call, (event, ...args) => this.handle(IPC_CHANNELS.call, event, args));
  }
}

// Electron: the preload exposes `window.homegrown` (one function per named call, never ipcRenderer);
// a failed call rejects with an Error carrying the ApiError body's fields. Images come
// through the app's custom protocol, which resolves ids, never paths.
import { ApiError, ApiErrorSchema } from '#shared/api/common';
import { imageProtocolUrl, type MethodName } from '#shared/api/names';
import type { PreloadApi } from '#shared/api/preload';
import type { ConnectionState, Transport } from './transport';

export type { PreloadApi };

/** Electron wraps a rejected invoke in "Error invoking remote method …: Error: <message>"; keep the body. */
function toApiError(e: unknown): ApiError {
  const body = ApiErrorSchema.safeParse(e);
  if (body.success) return new ApiError(body.data.code, body.data.message, body.data.issues);
  const message = e instanceof Error ? e.message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '') : String(e);
  return new ApiError('internal', message);
}

export class IpcTransport implements Transport {
  constructor(private readonly api: PreloadApi) {}

  async call(method: MethodName, input: unknown): Promise<unknown> {
    try {
      return await this.api[method](input ?? {});
    } catch (e) {
      throw toApiError(e);
    }
  }

  listen(onEvent: (event: unknown) => void, onState: (state: ConnectionState) => void): () => void {
    // The main process is always there while the window is: the stream is open from the start.
    onState('open');
    return this.api.onEvent(onEvent);
  }

  imageUrl(kind: 'dataset' | 'sheet' | 'generation', id: number): string {
    return imageProtocolUrl(kind, id);
  }

  pathForFile(file: File): string | null {
    return this.api.pathForFile(file) || null;
  }
}

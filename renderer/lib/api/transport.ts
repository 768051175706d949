// What the renderer needs from a transport: call a named API method, and hear events. The IPC and
// HTTP transports implement it; everything above lib/api sees only this.
import type { MethodName } from '#shared/api/names';

export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface Transport {
  call(method: MethodName, input: unknown): Promise<unknown>;
  /** Starts listening; `onState` reports the event stream's health. Returns a stop function. */
  listen(onEvent: (event: unknown) => void, onState: (state: ConnectionState) => void): () => void;
  /** URL an <img> can load for an image id. */
  imageUrl(kind: 'dataset' | 'sheet' | 'generation', id: number): string;
  /** Where a dropped file or folder lives; only Electron can tell. */
  pathForFile?(file: File): string | null;
}

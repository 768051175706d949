// Web mode: POST /api/<method> with the token (or the server's cookie), Server-Sent Events for progress. EventSource
// reconnects by itself after a lost connection or a server restart; the state callback drives the
// "connection lost" banner and lets the pages reload what they show once it is back.
import { ApiError, ApiErrorSchema } from '#shared/api/common';
import { HTTP, imagePath, type MethodName } from '#shared/api/names';
import type { ConnectionState, Transport } from './transport';

const CLOSED = 2; // EventSource.CLOSED, spelled out so tests need no DOM
const RETRY_MS = 1000;
const MAX_RETRY_MS = 10_000;

export interface HttpDeps {
  fetch: typeof fetch;
  openEvents: (url: string) => EventSource;
}

export class HttpTransport implements Transport {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly deps: HttpDeps = { fetch: (...a) => fetch(...a), openEvents: (url) => new EventSource(url) },
  ) {}

  /** Without a token in hand the server's HttpOnly cookie (set by the landing URL) authenticates. */
  private withToken(path: string): string {
    return this.token ? `${this.base}${path}?${HTTP.tokenParam}=${encodeURIComponent(this.token)}` : `${this.base}${path}`;
  }

  async call(method: MethodName, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.deps.fetch(`${this.base}${HTTP.api}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ApiError('internal', 'Cannot reach the Homegrown server — is it still running?');
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body;
    const parsed = ApiErrorSchema.safeParse(body);
    if (parsed.success) throw new ApiError(parsed.data.code, parsed.data.message, parsed.data.issues);
    throw new ApiError(res.status === 401 ? 'unauthorized' : 'internal', `The server answered ${res.status} ${res.statusText}`.trim());
  }

  listen(onEvent: (event: unknown) => void, onState: (state: ConnectionState) => void): () => void {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_MS;
    const open = () => {
      source = this.deps.openEvents(this.withToken(HTTP.events));
      source.onopen = () => {
        delay = RETRY_MS;
        onState('open');
      };
      source.onerror = () => {
        onState('lost');
        // EventSource retries a dropped connection itself, but gives up for good on an HTTP error
        // (e.g. the server restarting and answering 503 or 401 meanwhile): then start a new one.
        if (source?.readyState === CLOSED) {
          source.close();
          timer = setTimeout(open, delay);
          delay = Math.min(delay * 2, MAX_RETRY_MS);
        }
      };
      source.onmessage = (m: MessageEvent) => {
        try {
          onEvent(JSON.parse(String(m.data)));
        } catch {
          // A malformed message is dropped; the next one is independent.
        }
      };
    };
    onState('connecting');
    open();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }

  imageUrl(kind: 'dataset' | 'sheet' | 'generation', id: number): string {
    return this.withToken(imagePath(kind, id));
  }
}

import { describe, expect, it, vi } from 'vitest';
import { HttpTransport } from '../../../../../renderer/lib/api/http';
import { ApiError } from '#shared/api/common';

// Records what the transport sends and answers with a canned Response.
function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const sent: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof fetch;
  return { f, sent };
}

class FakeEventSource {
  static last: FakeEventSource;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  closed = false;
  readyState = 0;
  static opened = 0;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
    FakeEventSource.opened++;
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

const deps = (f: typeof fetch) => ({ fetch: f, openEvents: (url: string) => new FakeEventSource(url) as unknown as EventSource });

/** The error a call rejects with; a call that succeeds fails the test. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: ApiError) => e,
  );

describe('HttpTransport', () => {
  it('POSTs the input as JSON to /api/<method> with the bearer token and returns the body', async () => {
    const { f, sent } = fakeFetch(() => Response.json({ version: '0.1.0' }));
    const t = new HttpTransport('/base', 's3cret', deps(f));
    expect(await t.call('app.info', {})).toEqual({ version: '0.1.0' });
    expect(sent[0]!.url).toBe('/base/api/app.info');
    expect(sent[0]!.init.method).toBe('POST');
    expect((sent[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer s3cret');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({});
  });

  it('turns an error body into an ApiError with its code, message and issues', async () => {
    const { f } = fakeFetch(() => Response.json({ code: 'user', message: '/nope is not a folder' }, { status: 400 }));
    const err = await failure(new HttpTransport('', 't', deps(f)).call('datasets.open', { folder: '/nope' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('user');
    expect(err.message).toBe('/nope is not a folder');
  });

  it('reports a 401 without a body as unauthorized, and a network failure as a clear message', async () => {
    const a = await failure(
      new HttpTransport('', 't', deps(fakeFetch(() => new Response('no', { status: 401, statusText: 'Unauthorized' })).f)).call(
        'app.info',
        {},
      ),
    );
    expect(a.code).toBe('unauthorized');
    const down = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const b = await failure(new HttpTransport('', 't', deps(down.f)).call('app.info', {}));
    expect(b.message).toMatch(/Cannot reach the Homegrown server/);
  });

  it('listens on /api/events with the token, reports open and lost, and passes parsed messages on', () => {
    const states: string[] = [];
    const events: unknown[] = [];
    const t = new HttpTransport('', 'a b', deps(fakeFetch(() => Response.json({})).f));
    const stop = t.listen(
      (e) => events.push(e),
      (s) => states.push(s),
    );
    const es = FakeEventSource.last;
    expect(es.url).toBe('/api/events?token=a%20b');
    es.onopen?.();
    es.onmessage?.({ data: '{"type":"generation.done","jobId":"j","count":1}' });
    es.onmessage?.({ data: 'not json' });
    es.onerror?.();
    es.onopen?.();
    expect(states).toEqual(['connecting', 'open', 'lost', 'open']);
    expect(events).toEqual([{ type: 'generation.done', jobId: 'j', count: 1 }]);
    stop();
    expect(es.closed).toBe(true);
  });

  it('opens a new stream when EventSource gives up after an HTTP error, backing off', () => {
    vi.useFakeTimers();
    try {
      const states: string[] = [];
      const stop = new HttpTransport('', 't', deps(fakeFetch(() => Response.json({})).f)).listen(
        () => undefined,
        (s) => states.push(s),
      );
      const before = FakeEventSource.opened;
      const first = FakeEventSource.last;
      first.onerror?.(); // still CONNECTING: EventSource retries by itself
      vi.advanceTimersByTime(5000);
      expect(FakeEventSource.opened).toBe(before);
      first.readyState = 2;
      first.onerror?.();
      vi.advanceTimersByTime(999);
      expect(FakeEventSource.opened).toBe(before);
      vi.advanceTimersByTime(1);
      expect(FakeEventSource.opened).toBe(before + 1);
      const second = FakeEventSource.last;
      second.readyState = 2;
      second.onerror?.();
      vi.advanceTimersByTime(1999);
      expect(FakeEventSource.opened).toBe(before + 1);
      vi.advanceTimersByTime(1);
      expect(FakeEventSource.opened).toBe(before + 2);
      FakeEventSource.last.onopen?.();
      expect(states).toEqual(['connecting', 'lost', 'lost', 'lost', 'open']);
      stop();
      expect(FakeEventSource.last.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('builds image URLs from ids with the token', () => {
    const t = new HttpTransport('/x', 'tok', deps(fakeFetch(() => Response.json({})).f));
    expect(t.imageUrl('generation', 7)).toBe('/x/api/image/generation/7?token=tok');
  });

  it('leaves authentication to the cookie when it has no token', async () => {
    const { f, sent } = fakeFetch(() => Response.json({}));
    const t = new HttpTransport('', '', deps(f));
    await t.call('app.info', {});
    expect((sent[0]!.init.headers as Record<string, string>).authorization).toBeUndefined();
    expect(t.imageUrl('dataset', 2)).toBe('/api/image/dataset/2');
  });
});

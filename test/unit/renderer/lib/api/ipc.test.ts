import { describe, expect, it } from 'vitest';
import type { ApiError } from '#shared/api/common';
import { IpcTransport, type PreloadApi } from '../../../../../renderer/lib/api/ipc';
import { createApi } from '../../../../../renderer/lib/api/client';
import { HttpTransport } from '../../../../../renderer/lib/api/http';
import { METHOD_NAMES } from '#shared/api/names';

function fakePreload(answer: (method: string, input: unknown) => Promise<unknown>) {
  const listeners = new Set<(e: unknown) => void>();
  const calls: [string, unknown][] = [];
  const methods = Object.fromEntries(METHOD_NAMES.map((m) => [m, (i: unknown) => (calls.push([m, i]), answer(m, i))]));
  const onEvent = (l: (e: unknown) => void) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  };
  const pathForFile = (file: File) => `/dropped/${file.name}`;
  const preload = { ...methods, onEvent, pathForFile } as unknown as PreloadApi;
  return { preload, calls, emit: (e: unknown) => listeners.forEach((l) => l(e)), listeners };
}

/** The error a call rejects with; a call that succeeds fails the test. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: ApiError) => e,
  );

describe('IpcTransport', () => {
  it('calls the named method through the preload and returns its answer', async () => {
    const p = fakePreload(async () => [{ id: 1 }]);
    expect(await new IpcTransport(p.preload).call('datasets.list', {})).toEqual([{ id: 1 }]);
    expect(p.calls).toEqual([['datasets.list', {}]]);
  });

  it('keeps the error body of a rejected call, and strips Electron\'s "Error invoking remote method" prefix', async () => {
    // The preload rejects with an Error carrying the body's fields (main/electron/preload-api.ts).
    const carried = Object.assign(new Error('No run 9'), { code: 'not-found', message: 'No run 9' });
    const body = await failure(new IpcTransport(fakePreload(() => Promise.reject(carried)).preload).call('runs.get', { id: 9 }));
    expect([body.code, body.message]).toEqual(['not-found', 'No run 9']);
    const wrapped = new Error("Error invoking remote method 'homegrown:call': Error: Not a folder: /x");
    const e = await failure(new IpcTransport(fakePreload(() => Promise.reject(wrapped)).preload).call('datasets.open', { folder: '/x' }));
    expect(e.message).toBe('Not a folder: /x');
  });

  it('forwards events and unsubscribes on stop; images go through the custom protocol', () => {
    const p = fakePreload(async () => null);
    const got: unknown[] = [];
    const states: string[] = [];
    const t = new IpcTransport(p.preload);
    const stop = t.listen(
      (e) => got.push(e),
      (s) => states.push(s),
    );
    p.emit({ type: 'x' });
    stop();
    p.emit({ type: 'y' });
    expect(got).toEqual([{ type: 'x' }]);
    expect(states).toEqual(['open']);
    expect(t.imageUrl('sheet', 4)).toBe('homegrown://image/sheet/4');
    expect(t.pathForFile({ name: 'art' } as File)).toBe('/dropped/art');
  });
});

describe('createApi', () => {
  it('uses IPC when the preload exposed window.homegrown, HTTP otherwise (taking the token from the address once)', () => {
    const p = fakePreload(async () => null);
    expect(createApi({ homegrown: p.preload } as never).transport).toBeInstanceOf(IpcTransport);

    const store = new Map<string, string>();
    const replaced: string[] = [];
    const win = {
      location: { pathname: '/index.html', search: '?token=abc&x=1', hash: '#/gallery' },
      sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) },
      history: { replaceState: (_: unknown, __: string, url: string) => replaced.push(url) },
    };
    const api = createApi(win as never);
    expect(api.transport).toBeInstanceOf(HttpTransport);
    expect(api.imageUrl('generation', 1)).toBe('/api/image/generation/1?token=abc');
    expect(replaced).toEqual(['/index.html?x=1#/gallery']);
    win.location.search = '';
    expect(createApi(win as never).imageUrl('generation', 1)).toBe('/api/image/generation/1?token=abc');
  });

  it('drops events that do not match the contract', () => {
    const p = fakePreload(async () => null);
    const api = createApi({ homegrown: p.preload } as never);
    const got: unknown[] = [];
    api.on((e) => got.push(e));
    p.emit({ type: 'generation.done', jobId: 'j', count: 2 });
    p.emit({ type: 'generation.done', jobId: 'j' });
    p.emit({ type: 'something.new' });
    expect(got).toEqual([{ type: 'generation.done', jobId: 'j', count: 2 }]);
  });
});

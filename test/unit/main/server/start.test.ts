// Web mode over real HTTP on a free port: the token on every /api route, 127.0.0.1 by default, no
// listing, traversal and symlink escapes refused, training progress arriving over SSE, and answers
// while another process draws a generation.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '#shared/api/index';
import { tf } from '#core/compute/tf';
import { startServer, type RunningServer } from '#main/server/start';
import { isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let server: RunningServer;
let data: string;
let staticRoot: string;

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${p}`, { headers, redirect: 'manual' });
const auth = () => ({ authorization: `Bearer ${server.token}` });
async function api(method: string, input: unknown, headers: Record<string, string> = auth()) {
  return fetch(`${server.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}

/** A request with a Host header of our choosing (fetch always sends the URL's own). */
function withHost(base: string, p: string, host: string, token = server.token): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${p}`,
      {
        method: p.startsWith('/api/') ? 'POST' : 'GET',
        setHost: false,
        headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => (body += c))
          .on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(p.startsWith('/api/') ? '{}' : undefined);
  });
}

beforeAll(async () => {
  staticRoot = await tempDir('hg-static-');
  await fs.writeFile(path.join(staticRoot, 'index.html'), '<!doctype html><title>Homegrown</title>');
  await fs.mkdir(path.join(staticRoot, 'assets'));
  await fs.writeFile(path.join(staticRoot, 'assets', 'app.js'), 'export {};');
  data = await shapesFolder(path.join(await tempDir('hg-server-data-'), 'shapes'));
  server = await startServer({ home: await tempDir('hg-server-home-'), staticRoot, service: { backend: 'wasm' } });
});

afterAll(async () => {
  await server?.close();
});

describe('web mode', () => {
  it('binds 127.0.0.1 by default with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses every /api route without the right token', async () => {
    const wrong = { authorization: 'Bearer nope' };
    for (const response of [
      await api('app.info', {}, {}),
      await api('app.info', {}, wrong),
      await api('no.such.method', {}, {}),
      await get('/api/events'),
      await get('/api/image/generation/1'),
      await get('/api/image/..%2F..%2Fetc%2Fpasswd'),
      await get('/api', { cookie: 'homegrown_token=nope' }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('accepts the token as Bearer header, as the cookie the landing URL sets, or as ?token=', async () => {
    expect((await api('app.info', {})).status).toBe(200);
    const landing = await get(`/?token=${server.token}`);
    expect(landing.status).toBe(303);
    expect(landing.headers.get('location')).toBe('/');
    const cookie = landing.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^homegrown_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await (await api('app.info', {}, { cookie: cookie.split(';')[0]! })).json()).toMatchObject({ mode: 'web' });
    expect((await get(`/api/image/generation/1?token=${server.token}`)).status).toBe(404);
  });

  it('serves the renderer with a strict CSP and never lists a folder', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Homegrown</title>');
    expect(index.headers.get('content-security-policy')).toMatch(
      /default-src 'self'.*object-src 'none'; base-uri 'none'; frame-ancestors 'none'/,
    );
    expect((await get('/assets/app.js')).status).toBe(200);
    for (const p of ['/assets/', '/assets', '/api/image/', '/api/image/generation/']) {
      const r = await get(p, auth());
      expect(r.status, p).toBe(404);
      expect(await r.text()).not.toContain('app.js');
    }
  });

  it('maps errors to status codes with the error body', async () => {
    expect(await (await api('runs.get', { id: 5 })).json()).toEqual({ code: 'not-found', message: 'There is no run 5' });
    const bad = await api('runs.get', { id: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid-input' });
    const notJson = await fetch(`${server.url}/api/app.info`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await api('datasets.open', { folder: '/definitely/not/here' })).status).toBe(400);
  });

  it('refuses traversal through every route, encoded or not', async () => {
    for (const p of [
      '/api/image/..%2F..%2Fetc%2Fpasswd',
      '/api/image/generation/..%2F..%2Fetc%2Fpasswd',
      '/api/image/dataset/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/image/sheet/1%2F..%2F..',
      '/api/image/generation/1.0',
      '/..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      const r = await get(p, auth());
      expect([403, 404], p).toContain(r.status);
      expect(await r.text(), p).not.toMatch(/root:/);
    }
  });

  it('streams training progress over SSE, serves sheets by id, and refuses files swapped for symlinks that escape', async () => {
    const events = await get('/api/events', auth());
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    const report = (await (await api('datasets.open', { folder: data })).json()) as Output<'datasets.open'>;
    const run = (await (
      await api('runs.start', {
        datasetId: report.dataset.id,
        model: 'gan',
        size: 32,
        steps: 3,
        config: { ...TINY_RUN, sampleEvery: 3, checkpointEvery: 3 },
      })
    ).json()) as Output<'runs.start'>;
    const seen: { type: string; state?: string; sheetId?: number }[] = [];
    let buffer = '';
    while (!seen.some((e) => e.type === 'run.state' && e.state === 'done')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
      const messages = buffer.split('\n\n');
      buffer = messages.pop()!;
      for (const m of messages) if (m.startsWith('data: ')) seen.push(JSON.parse(m.slice(6)));
    }
    await reader.cancel();
    const types = seen.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['run.state', 'run.progress', 'run.sampleSheet', 'run.checkpoint']));
    expect(seen.find((e) => e.type === 'run.progress')).toMatchObject({ runId: run.id, targetStep: 3 });

    const sheetId = seen.find((e) => e.type === 'run.sampleSheet')!.sheetId!;
    const sheet = await get(`/api/image/sheet/${sheetId}`, auth());
    expect(sheet.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await sheet.arrayBuffer())).metadata()).format).toBe('png');
    const thumb = await get(`/api/image/dataset/${report.images[0]!.imageId}?token=${server.token}`);
    expect(thumb.status).toBe(200);

    // A sheet file replaced by a symlink to a file outside the data folder is refused.
    const outside = path.join(await tempDir('hg-outside-'), 'secret.png');
    await fs.copyFile(path.join(data, report.images[0]!.path), outside);
    const sheetRow = server.service.store.runs.sampleSheets(run.id).find((s) => s.id === sheetId)!;
    const sheetFile = server.service.store.files.resolve(sheetRow.path);
    await fs.rm(sheetFile);
    await fs.symlink(outside, sheetFile);
    expect((await get(`/api/image/sheet/${sheetId}`, auth())).status).toBe(404);
    // So is a dataset image swapped for a symlink leading out of the dataset folder.
    const image = report.images[1];
    await fs.rm(path.join(data, image!.path));
    await fs.symlink(outside, path.join(data, image!.path));
    expect((await get(`/api/image/dataset/${image!.imageId}`, auth())).status).toBe(404);
  });

  it('keeps answering app.info while the generation process draws 200 images, holding no model itself', async () => {
    const subscribe = (l: Parameters<RunningServer['service']['subscribe']>[0]) => server.service.subscribe(l);
    const folder = await shapesFolder(path.join(await tempDir('hg-server-gen-'), 'shapes'));
    const report = (await (await api('datasets.open', { folder })).json()) as Output<'datasets.open'>;
    const trained = nextEvent(
      subscribe,
      isEvent('run.state', (e) => e.state === 'done' || e.state === 'failed'),
    );
    const run = (await (
      await api('runs.start', {
        datasetId: report.dataset.id,
        model: 'gan',
        size: 32,
        steps: 2,
        config: { ...TINY_RUN, checkpointEvery: 2 },
      })
    ).json()) as Output<'runs.start'>;
    expect(await trained).toMatchObject({ runId: run.id, state: 'done' });

    // app.info starts this process's compute backend (it names the device).
    expect((await api('app.info', {})).status).toBe(200);
    const tensors = tf.memory().numTensors;
    let drawn = 0;
    const off = subscribe((e) => void (e.type === 'generation.image' && drawn++));
    const finished = nextEvent(subscribe, isEvent('generation.done'), 300_000);
    let over = false;
    void finished.then(() => (over = true));
    const start = await api('generate.start', { runId: run.id, prompt: 'red, circle', seedMode: 'increment', seed: 1, count: 200 });
    expect(start.status).toBe(200);
    // app.info, asked again and again until the generation ends: the ones answered while images were
    // still coming, and how long each took.
    const during: number[] = [];
    while (!over) {
      const t0 = Date.now();
      const info = await api('app.info', {});
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ mode: 'web' });
      if (!over && drawn > 0 && drawn < 200) {
        during.push(Date.now() - t0);
        // The model lives in the generation process: this one holds no tensor more than before.
        expect(tf.memory().numTensors).toBe(tensors);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    off();
    expect((await finished).count).toBe(200);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...during)).toBeLessThan(2_000);
  }, 300_000);

  it('keeps answering while dataset images are replaced by FIFOs, and says what is wrong with them', async () => {
    const folder = await shapesFolder(path.join(await tempDir('hg-server-fifo-'), 'shapes'));
    const report = (await (await api('datasets.open', { folder })).json()) as Output<'datasets.open'>;
    const [fifo, other] = report.images;
    await fs.rm(path.join(folder, fifo!.path));
    execFileSync('mkfifo', [path.join(folder, fifo!.path)]);
    // More requests for it than Node has file-system threads (4).
    const stuck = Array.from({ length: 6 }, () => get(`/api/image/dataset/${fifo!.imageId}`, auth()));
    const started = Date.now();
    const answers = await Promise.all([
      get('/assets/app.js'),
      get(`/api/image/dataset/${other!.imageId}`, auth()),
      api('datasets.open', { folder: data }),
      ...stuck,
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answers.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of answers.slice(3)) {
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({
        code: 'user',
        message: `${path.join(folder, fifo!.path)} is a FIFO (named pipe), not a regular file`,
      });
    }
  });

  it('refuses requests naming another host with 421 (DNS rebinding), on every route', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'localhost']) {
      expect((await withHost(server.url, '/api/app.info', host)).status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost@evil.example`, '']) {
      for (const p of ['/api/app.info', '/', '/assets/app.js', `/?token=${server.token}`]) {
        const r = await withHost(server.url, p, host);
        expect(r.status, `${host} ${p}`).toBe(421);
        expect(JSON.parse(r.body), `${host} ${p}`).toMatchObject({
          code: 'unauthorized',
          message: expect.stringMatching(/does not answer to the host name/),
        });
      }
    }
    const named = await startServer({ home: await tempDir('hg-server-hosts-'), staticRoot, allowHosts: ['Homegrown.lan'] });
    try {
      expect((await withHost(named.url, '/api/app.info', 'homegrown.lan:8080', named.token)).status).toBe(200);
      expect((await withHost(named.url, '/api/app.info', 'other.lan', named.token)).status).toBe(421);
    } finally {
      await named.close();
    }
  });

  it('closes while a browser still holds an event stream open', async () => {
    const other = await startServer({ home: await tempDir('hg-server-close-'), staticRoot });
    const events = await fetch(`${other.url}/api/events?token=${other.token}`);
    expect(events.status).toBe(200);
    await other.close();
    const reader = events.body!.getReader();
    while (!(await reader.read()).done);
  });
});

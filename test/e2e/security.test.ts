// Web mode refuses API calls without the token and never serves files by path through the image route.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '#main/server/start';

// Raw requests: fetch would normalise `..` out of the path before sending it.
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web mode security', () => {
  let home: string;
  let server: RunningServer;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'homegrown-e2e-sec-'));
    server = await startServer({ home, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and refuses API calls without the right token', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const call = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(server.url, '/api/events')).status).toBe(401);
    const ok = await call({ authorization: `Bearer ${server.token}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { mode: string }).mode).toBe('web');
  });

  it.each([
    '/api/image/../../etc/passwd',
    '/api/image/generation/../../../../etc/passwd',
    '/api/image/generation/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    '/api/image/dataset/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/api/image/generation/%252E%252E%252Fetc%252Fpasswd',
    '/../../etc/passwd',
    '/%2E%2E/%2E%2E/etc/passwd',
  ])('refuses %s', async (path) => {
    const withToken = await get(server.url, path, { authorization: `Bearer ${server.token}` });
    expect(withToken.status).toBeGreaterThanOrEqual(400);
    expect(withToken.body).not.toMatch(/root:.*:0:0:/);
    if (path.startsWith('/api/')) expect((await get(server.url, path)).status).toBeGreaterThanOrEqual(400);
  });
});

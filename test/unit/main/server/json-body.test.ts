// A deeply nested JSON body is refused by a linear scan before V8's parser can hold the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '#main/server/json-body';
import { startServer, type RunningServer } from '#main/server/start';
import { tempDir } from '#test/fixtures/app-service';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[{}]}}', 3)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ prompt: '[[[[{{{{"\\\\[[[[' }), 1)).toBe(false);
    expect(nestsDeeperThan(`[${'[]'.repeat(1000)}]`, 2)).toBe(false);
  });
});

describe('the web server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      home: await tempDir('hg-json-home-'),
      staticRoot: await tempDir('hg-json-static-'),
      service: { backend: 'wasm' },
    });
  });
  afterAll(() => server?.close());

  const post = (body: string) =>
    fetch(`${server.url}/api/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body,
    });

  it('refuses a body nested deeper than the limit with a clear 400, and still answers', async () => {
    const deep = await post(`{"x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({
      code: 'invalid-input',
      message: `The request body nests more than ${MAX_JSON_DEPTH} levels deep.`,
    });
    const ok = await post('{}');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ mode: 'web' });
  });

  it("keeps Fastify's refusal of prototype poisoning", async () => {
    expect((await post('{"__proto__":{"admin":true}}')).status).toBe(400);
  });
});

// homegrown:// resolves ids and renderer files; traversal (plain, encoded, double-encoded) and symlink
// escapes are refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '#core/service/index';
import { parseProtocolUrl, protocolHandler } from '#main/electron/protocol';
import { tempDir } from '#test/fixtures/app-service';

let service: AppService;
let root: string;
let handler: (request: { url: string }) => Promise<Response>;
let generationId: number;

beforeAll(async () => {
  service = await AppService.open({ home: await tempDir('hg-protocol-home-') });
  const run = service.store.runs.create({ model: 'gan', config: { size: 32 } });
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
  generationId = (await service.store.generations.save({ image: png, prompt: 'red', seed: 1, runId: run.id, backend: 'wasm' })).id;
  root = await tempDir('hg-renderer-');
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>Homegrown</title>');
  await fs.mkdir(path.join(root, 'assets'));
  await fs.writeFile(path.join(root, 'assets', 'app.js'), 'export {};');
  await fs.symlink('/etc/passwd', path.join(root, 'assets', 'leak.js'));
  handler = protocolHandler({ image: (kind, id) => service.image(kind, id), rendererRoot: root });
});

afterAll(async () => {
  await service?.close();
});

describe('homegrown:// protocol', () => {
  it('serves images by kind and id and the renderer with its CSP', async () => {
    const image = await handler({ url: `homegrown://image/generation/${generationId}` });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(8);
    const index = await handler({ url: 'homegrown://app/' });
    expect(await index.text()).toContain('<title>Homegrown</title>');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler({ url: 'homegrown://app/assets/app.js' })).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses paths, traversal in every spelling, and symlinks out of the renderer folder', async () => {
    for (const url of [
      'homegrown://image/generation/../../etc/passwd',
      'homegrown://image/..%2F..%2Fetc%2Fpasswd',
      'homegrown://image/generation/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'homegrown://image/generation/1/../2',
      'homegrown://image/generation/01',
      'homegrown://image/generation/1.png',
      'homegrown://image/file/1',
      'homegrown://image//etc/passwd',
      'homegrown://app/../../../etc/passwd',
      'homegrown://app/..%2F..%2F..%2Fetc%2Fpasswd',
      'homegrown://app/%2e%2e/%2e%2e/etc/passwd',
      'homegrown://app/%252e%252e/etc/passwd',
      'homegrown://app/assets\\..\\..\\etc\\passwd',
      'homegrown://app/.hidden',
      'homegrown://app/assets/leak.js',
      'homegrown://app/assets',
      'homegrown://evil/index.html',
      'file:///etc/passwd',
    ]) {
      const response = await handler({ url });
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toMatch(/root:/);
    }
    expect(parseProtocolUrl('homegrown://image/sheet/3')).toEqual({ type: 'image', kind: 'sheet', id: '3' });
  });
});

// The `homegrown://` protocol: `homegrown://app/<file>` serves the built renderer (with the CSP header),
// `homegrown://image/<kind>/<id>` serves images by id through the service. Paths are checked on the
// raw URL, before any decoding or normalising could turn `%2e%2e` or `..` into a climb; a file that
// resolves (through symlinks) outside the renderer folder is refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../core/files/paths';
import type { ImageData } from '../core/service/images';
import { CSP } from './security';

export const SCHEME = 'homegrown';

export type ProtocolTarget = { type: 'image'; kind: string; id: string } | { type: 'app'; segments: string[] };

const RAW = /^homegrown:\/\/(image|app)\/([^?#]*)(?:[?#].*)?$/u;
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/u;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** What a raw URL asks for, or null for anything that is not plainly one of ours. */
export function parseProtocolUrl(raw: string): ProtocolTarget | null {
  const match = RAW.exec(raw);
  if (!match) return null;
  const [, host, rest] = match;
  const segments = host === 'app' && rest === '' ? ['index.html'] : rest!.split('/');
  // No encoding at all (so no %2e%2e or %2f), no dot segments, no empty segments, no backslashes.
  if (!segments.every((s) => SAFE_SEGMENT.test(s) && s !== '..' && s !== '.')) return null;
  if (host === 'image') return segments.length === 2 ? { type: 'image', kind: segments[0]!, id: segments[1]! } : null;
  return { type: 'app', segments };
}

export interface ProtocolSources {
  image(kind: string, id: string): Promise<ImageData | null>;
  /** The built renderer folder. */
  rendererRoot: string;
}

/** The protocol handler: a Request in, a Response out (404 for anything refused). */
export function protocolHandler(sources: ProtocolSources): (request: { url: string }) => Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return async (request) => {
    const target = parseProtocolUrl(request.url);
    if (!target) return notFound();
    if (target.type === 'image') {
      const image = await sources.image(target.kind, target.id).catch(() => null);
      return image ? new Response(new Uint8Array(image.data), { headers: { 'content-type': image.contentType } }) : notFound();
    }
    try {
      const root = await fs.realpath(sources.rendererRoot);
      const file = await fs.realpath(path.join(root, ...target.segments));
      if (!isWithin(root, file) || !(await fs.stat(file)).isFile()) return notFound();
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(new Uint8Array(await fs.readFile(file)), { headers: { 'content-type': type, 'content-security-policy': CSP } });
    } catch {
      return notFound();
    }
  };
}

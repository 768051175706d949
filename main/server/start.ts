// Web mode: the built renderer, the API over HTTP (POST /api/<method>), events over SSE and images by
// id, on 127.0.0.1 unless told otherwise. Everything under /api needs the token; static files do not
// (they hold no data), and the landing URL `/?token=…` turns the token into a cookie.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { ApiError } from '#shared/api/common';
import { HTTP } from '#shared/api/names';
import { CSP } from '#shared/csp';
import { appPath } from '../core/files/app-root';
import { AppService, type ServiceOptions } from '../core/service/index';
import { toApiError } from '../core/service/errors';
import { newToken, sameToken, tokenCookie, tokenOf } from './auth';
import { allowedHosts, hostOf } from './host-check';
import { BODY_LIMIT, boundJsonBodies } from './json-body';
import { STATUS } from './status';

export interface ServerOptions {
  home?: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); default: a new random one. */
  token?: string;
  /** Host names besides the loopback ones and `host` that requests may use (see host-check.ts). */
  allowHosts?: string[];
  /** The built renderer; default renderer/dist. */
  staticRoot?: string;
  /** Passed to the service (spawner, backend, worker). */
  service?: Omit<ServiceOptions, 'home' | 'mode'>;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  service: AppService;
  close(): Promise<void>;
}

const RENDERER_DIST = appPath('renderer/dist');
// Same policy as the Electron window, plus what a page served over HTTP needs.
const HEARTBEAT_MS = 15_000;
const CLOSE_GRACE_MS = 5_000;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const service = await AppService.open({ ...options.service, home: options.home, mode: 'web' });
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  boundJsonBodies(app);
  try {
    const host = options.host ?? '127.0.0.1';
    register(app, service, token, options.staticRoot ?? RENDERER_DIST, allowedHosts(host, options.allowHosts));
    await app.listen({ host, port: options.port ?? 0 });
  } catch (err) {
    await service.close();
    throw err;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    token,
    service,
    async close() {
      // Connections still open after a grace period (a stuck client) are cut rather than waited for.
      const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      await app.close();
      clearTimeout(force);
      await service.close();
    },
  };
}

function register(app: FastifyInstance, service: AppService, token: string, staticRoot: string, hosts: Set<string>): void {
  const sse = new Set<() => void>();
  // Before the server waits for connections to finish: event streams never finish by themselves.
  app.addHook('preClose', async () => sse.forEach((end) => end()));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const host = hostOf(request.headers.host);
    if (host === null || !hosts.has(host)) {
      const name = JSON.stringify(request.headers.host ?? '');
      return reply
        .code(421)
        .send(
          new ApiError(
            'unauthorized',
            `This server does not answer to the host name ${name}; open it as 127.0.0.1 or localhost, or start it with --allow-host ${host ?? 'NAME'}`,
          ).toBody(),
        );
    }
    const url = new URL(request.url, 'http://localhost');
    const given = tokenOf(request.headers, url.searchParams);
    if (url.pathname === '/' && url.searchParams.has(HTTP.tokenParam) && sameToken(given, token)) {
      // Landing from the printed URL: keep the token in a cookie and drop it from the address bar.
      return reply.header('set-cookie', tokenCookie(token)).redirect('/', 303);
    }
    if ((url.pathname === HTTP.api || url.pathname.startsWith(`${HTTP.api}/`)) && !sameToken(given, token)) {
      return reply
        .code(401)
        .send(new ApiError('unauthorized', 'This needs the token printed when the server started (open the URL with ?token=…)').toBody());
    }
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _request, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    reply.code(status).send(new ApiError(status < 500 ? 'invalid-input' : 'internal', err.message).toBody());
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(new ApiError('not-found', 'Not found').toBody());
  });

  app.post<{ Params: { method: string } }>(`${HTTP.api}/:method`, async (request, reply) => {
    try {
      return await service.call(request.params.method, request.body ?? {});
    } catch (err) {
      const body = (err as ApiError).toBody();
      return reply.code(STATUS[body.code]).send(body);
    }
  });

  app.get(HTTP.events, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = service.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      sse.delete(end);
      res.end();
    };
    sse.add(end);
    request.raw.on('close', end);
  });

  app.get<{ Params: { kind: string; id: string } }>(`${HTTP.image}/:kind/:id`, async (request, reply) => {
    let image;
    try {
      image = await service.image(request.params.kind, request.params.id);
    } catch (err) {
      const body = toApiError(err).toBody();
      return reply.code(STATUS[body.code]).send(body);
    }
    if (!image) return reply.code(404).send(new ApiError('not-found', 'No such image').toBody());
    return reply.header('content-type', image.contentType).header('cache-control', 'private, max-age=3600').send(image.data);
  });

  if (existsSync(staticRoot)) {
    app.register(fastifyStatic, { root: staticRoot, index: 'index.html', list: false, dotfiles: 'deny', wildcard: true });
  } else {
    app.get('/', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('The renderer is not built. Run `npm run build:renderer`, or use `npm run web`.\n'),
    );
  }
}

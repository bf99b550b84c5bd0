import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serverTlsOptions } from '../mtls/server-tls.js';
import { addWhoamiRoute } from '../mtls/whoami-route.js';
import { errorAnswerHeaders } from '../headers/security-headers-part.js';
import { addApiRoutes } from './api-routes.js';
import { answerClientError } from './client-error.js';
import { flawByName } from './flaws.js';
import type { Middleware, RequestContext } from './http-types.js';
import type { DocumentContribution } from './openapi/contribution.js';
import { addOpenApiRoute } from './openapi/openapi-route.js';
import type { ReferenceServerOptions } from './options.js';
import { buildParts } from './parts.js';
import { sendProblem } from './respond.js';
import { Router, type RouteEntry } from './router.js';
import { GauntletError } from '../../util/errors.js';

export type { ReferenceServerOptions };

export interface ReferenceServer {
  url: string;
  server: Server;
  flaws: ReadonlySet<string>;
  /** The route table, as GET /openapi.json describes it. */
  routes(): RouteEntry[];
  close(): Promise<void>;
}

export class UnknownFlawError extends GauntletError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

export function assertKnownFlaws(flaws: Iterable<string>): void {
  for (const flaw of flaws) {
    if (!flawByName(flaw)) throw new UnknownFlawError(`unknown flaw '${flaw}' (see gauntlet serve --list-flaws)`);
  }
}

/** The reference target: an API that does everything gauntlet audits correctly, or with named flaws. */
export async function createReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const flaws = new Set(options.flaws ?? []);
  assertKnownFlaws(flaws);
  const router = new Router();
  addApiRoutes(router, flaws);
  addWhoamiRoute(router);
  // What each part that is on says in the document; the document is built per request, after every part added its routes.
  const contributions: DocumentContribution[] = [];
  addOpenApiRoute(router, contributions);
  // Parts that hold resources (the key store) close after the server drained, last opened first.
  const closers: (() => void | Promise<void>)[] = [];
  const closeParts = async () => {
    for (const close of closers) await close();
  };
  let middleware: Middleware[];
  try {
    middleware = buildParts(options, { router, flaws, onClose: (close) => closers.unshift(close), describe: (c) => contributions.push(c) });
  } catch (error) {
    await closeParts();
    throw error;
  }

  const dispatch = async (ctx: RequestContext) => {
    const route = ctx.route;
    if (route.kind === 'not-found') return notFound(ctx);
    if (route.kind === 'method-not-allowed') {
      return sendProblem(ctx.res, 405, 'Method not allowed', `${ctx.req.method} is not allowed here`, {}, { allow: route.allowed.join(', ') });
    }
    await route.handler(ctx);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://reference.invalid');
    const route = router.match(req.method ?? 'GET', url.pathname);
    const ctx: RequestContext = { req, res, url, route, params: route.kind === 'found' ? route.params : {}, flaws, locals: {} };
    ctx.reroute = (pathname) => {
      ctx.url.pathname = pathname;
      ctx.route = router.match(req.method ?? 'GET', ctx.url.pathname);
      ctx.params = ctx.route.kind === 'found' ? ctx.route.params : {};
    };
    try {
      let index = 0;
      const next = async (): Promise<void> => {
        const part = middleware[index++];
        if (part) await part(ctx, next);
        else await dispatch(ctx);
      };
      await next();
    } catch {
      sendProblem(res, 500, 'Internal error', 'the server could not complete the request');
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const tls = serverTlsOptions(options, flaws);
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const errorHeaders = options.securityHeaders ? errorAnswerHeaders(options.securityHeaders, Boolean(tls), flaws) : {};
  server.on('clientError', (error: Error, socket) => answerClientError(error, socket, errorHeaders));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await closeParts();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    server,
    flaws,
    routes: () => router.entries(),
    close: async () => {
      await closeGracefully(server, options.drainMs ?? 5_000);
      await closeParts();
    },
  };
}

function notFound(ctx: RequestContext): void {
  const extra: Record<string, unknown> = {};
  if (ctx.flaws.has('errors-leak-stack')) {
    extra.stack = new Error(`no route for ${ctx.url.pathname}`).stack;
    extra.file = fileURLToPath(import.meta.url);
  }
  sendProblem(ctx.res, 404, 'Not found', `no route for ${ctx.req.method} ${ctx.url.pathname}`, extra);
}

/**
 * Stops accepting, lets in-flight requests finish (up to drainMs), then cuts what is left. Keep-alive
 * connections are closed as soon as they fall idle, so a finished client does not hold the shutdown.
 */
function closeGracefully(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

import type { TLSSocket } from 'node:tls';
import { packageVersion } from '../../../util/package-root.js';
import type { RequestContext } from '../http-types.js';
import { sendJson } from '../respond.js';
import type { Router } from '../router.js';
import { buildOpenApiDocument } from './build-document.js';
import type { DocumentContribution } from './contribution.js';

/** A Host header worth repeating: a name or address and a port, nothing a client could smuggle markup in with. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** scheme://host the request came to, so the document's server is the one the client reached. */
function serverUrlOf(ctx: RequestContext): string {
  const socket = ctx.req.socket as TLSSocket;
  const scheme = socket.encrypted ? 'https' : 'http';
  const host = ctx.req.headers.host;
  if (host && PLAIN_HOST.test(host)) return `${scheme}://${host}`;
  const address = socket.localAddress?.includes(':') ? `[${socket.localAddress}]` : socket.localAddress;
  return `${scheme}://${address}:${socket.localPort}`;
}

const DOCUMENT_SCHEMA = {
  title: 'OpenApiDocument',
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', const: '3.1.0' },
    info: { type: 'object' },
    servers: { type: 'array', items: { type: 'object' } },
    tags: { type: 'array', items: { type: 'object' } },
    paths: { type: 'object' },
    components: { type: 'object' },
  },
};

/**
 * GET /openapi.json: the server's OpenAPI 3.1 document, public. Built at each request from the route table as it
 * is then and from what the parts that are on contribute, so it cannot drift from the routes.
 */
export function addOpenApiRoute(router: Router, contributions: readonly DocumentContribution[]): void {
  const version = packageVersion();
  router.add(
    'GET',
    '/openapi.json',
    (ctx) => sendJson(ctx.res, 200, buildOpenApiDocument(router.entries(), [...contributions], { serverUrl: serverUrlOf(ctx), version })),
    {
      public: true,
      operationId: 'getOpenApiDocument',
      tag: 'health',
      summary: 'This OpenAPI 3.1 document',
      responses: { 200: { description: 'The OpenAPI document of this server as it runs now.', schema: DOCUMENT_SCHEMA } },
    },
  );
}

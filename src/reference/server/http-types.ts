import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteDoc } from './openapi/types.js';
import type { RouteMatch } from './router.js';

/**
 * What a route declares about itself, for the parts in front of it and for the OpenAPI document (GET
 * /openapi.json), which is built from these at request time.
 */
export interface RouteMeta extends RouteDoc {
  /** API-key scopes a caller needs (all of them). */
  scopes?: string[];
  /** A public route (health): no authentication part applies. */
  public?: boolean;
  /** JSON Schema of the request body; the validation part enforces it and leaves the parsed body in locals.body. */
  body?: Record<string, unknown>;
  /** Requests must carry an HMAC signature (the signing part). */
  signed?: boolean;
  /** Only allow-listed source addresses may call it (the ip-restriction part). */
  sourceRestricted?: boolean;
  /**
   * The flaw under which the API-key part skips this route's scope check, as a handler that forgot its
   * function-level authorization would (bfla). The document still states the scopes: it describes the intent.
   */
  scopeCheckSkippedUnder?: string;
}

/** What every handler and part of the reference server sees. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The route this request matched (known before any part runs, so parts can read its metadata). */
  route: RouteMatch;
  params: Record<string, string>;
  /** Who is calling, once an authentication part has decided (API key owner, certificate identity). */
  principal?: { id: string; via: string; scopes?: string[] };
  flaws: ReadonlySet<string>;
  /** Free slots for parts to pass facts to later parts (e.g. the verified client certificate). */
  locals: Record<string, unknown>;
  /** Points the request at another path of this server (url and route), for parts that rewrite URLs (versioning). */
  reroute?(pathname: string): void;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;
export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => void | Promise<void>;

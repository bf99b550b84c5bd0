import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every handler and middleware of the reference server sees. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Set by the route's body parsing. */
  body?: unknown;
  /** Who is calling, once an authentication part has decided (API key owner, certificate identity). */
  principal?: { id: string; via: string; scopes?: string[] };
  flaws: ReadonlySet<string>;
  /** Free slots for parts to pass facts to later parts (e.g. the verified client certificate). */
  locals: Record<string, unknown>;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;
export type Middleware = (ctx: RequestContext, next: () => Promise<void>) => void | Promise<void>;

import type { Middleware } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import { appendVary } from '../headers/vary.js';

export interface CorsOptions {
  /** Exact origins allowed (`https://app.example.com`): no patterns, no wildcard. */
  origins: string[];
  /** Methods a preflight may allow (default GET, HEAD, POST, PUT, DELETE). */
  methods?: string[];
  /** Request headers a preflight may allow. */
  allowHeaders?: string[];
  /** Response headers scripts of an allowed origin may read. */
  exposeHeaders?: string[];
  /** Send Access-Control-Allow-Credentials: true to allowed origins (default true). */
  credentials?: boolean;
  /** Access-Control-Max-Age for preflights (default 600 s, Chrome's cap is 7200). */
  maxAgeSeconds?: number;
}

/** The flawed ways an origin gets accepted; the correct server compares exact strings only. */
function originAllowed(origin: string, allowed: string[], flaws: ReadonlySet<string>): boolean {
  if (allowed.includes(origin)) return true;
  if (flaws.has('cors-reflect-origin')) return true;
  if (flaws.has('cors-null') && origin === 'null') return true;
  if (flaws.has('cors-suffix-match')) {
    // The classic mistake: "ends with our host" also matches evilapp.example.com and x.app.example.com.
    try {
      const candidate = new URL(origin);
      return allowed.some((a) => {
        const allowedUrl = new URL(a);
        return candidate.protocol === allowedUrl.protocol && candidate.host.endsWith(allowedUrl.host);
      });
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * CORS with an exact-match origin allow-list. Allowed origins get their own origin back (never `*`) and
 * credentials; unlisted origins get no CORS headers at all. Preflights are answered here, before
 * authentication (browsers send them without credentials), with the fixed lists of methods and headers,
 * never a reflection of what was asked. `Vary: Origin` is on every response, since the answer depends on it.
 */
export function corsPart(options: CorsOptions): Middleware {
  const methods = (options.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']).join(', ');
  const allowHeaders = (options.allowHeaders ?? []).join(', ');
  const exposeHeaders = (options.exposeHeaders ?? []).join(', ');
  const credentials = options.credentials ?? true;
  const maxAge = String(options.maxAgeSeconds ?? 600);

  return async (ctx, next) => {
    const { req, res, flaws } = ctx;
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined;
    if (!flaws.has('cors-no-vary')) appendVary(res, 'Origin');

    let allowed = false;
    if (flaws.has('cors-wildcard-credentials')) {
      allowed = true;
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-credentials', 'true');
    } else if (origin !== undefined && originAllowed(origin, options.origins, flaws)) {
      allowed = true;
      res.setHeader('access-control-allow-origin', origin);
      if (credentials) res.setHeader('access-control-allow-credentials', 'true');
    }

    if (preflight) {
      if (!allowed) return sendProblem(res, 403, 'Origin not allowed', 'this origin may not make cross-origin requests here');
      res.setHeader('access-control-allow-methods', methods);
      if (allowHeaders) res.setHeader('access-control-allow-headers', allowHeaders);
      res.setHeader('access-control-max-age', maxAge);
      res.writeHead(204, { 'content-length': '0' });
      res.end();
      return;
    }
    if (allowed && exposeHeaders) res.setHeader('access-control-expose-headers', exposeHeaders);
    await next();
  };
}

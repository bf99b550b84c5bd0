import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Middleware } from '../server/http-types.js';

export interface SecurityHeadersOptions {
  /** HSTS on HTTPS responses (default max-age two years, includeSubDomains). */
  hsts?: { maxAgeSeconds?: number; includeSubDomains?: boolean; preload?: boolean };
}

const TWO_YEARS = 63_072_000;

/** What an API (JSON, never framed, never cached) sends on every response, per the OWASP REST cheat sheet. */
export function securityHeaders(options: SecurityHeadersOptions, https: boolean, flaws: ReadonlySet<string>): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  if (https && !flaws.has('headers-missing-hsts')) {
    const hsts = options.hsts ?? {};
    const maxAge = flaws.has('headers-weak-hsts') ? 86_400 : (hsts.maxAgeSeconds ?? TWO_YEARS);
    const directives = [`max-age=${maxAge}`];
    if (hsts.includeSubDomains ?? true) directives.push('includeSubDomains');
    if (hsts.preload) directives.push('preload');
    headers['strict-transport-security'] = directives.join('; ');
  }
  return headers;
}

/** The version-leaking Server header of the flaw headers-server-version. */
const LEAKY_SERVER = `gauntlet-reference/0.1.0 Node.js/${process.version}`;

/**
 * The headers of an error answer written before any part runs (a request Node could not parse, say), under the
 * same flaws as every other answer.
 */
export function errorAnswerHeaders(options: SecurityHeadersOptions, https: boolean, flaws: ReadonlySet<string>): Record<string, string> {
  const headers = flaws.has('headers-only-on-success') ? {} : securityHeaders(options, https, flaws);
  return flaws.has('headers-server-version') ? { ...headers, server: LEAKY_SERVER } : headers;
}

/**
 * Sets the security headers before anything else runs, so every response carries them: errors from later
 * parts (401, 403, 413, 415, 429), 404, 405 and 500 included. No Server or X-Powered-By header is sent and
 * X-XSS-Protection is left out, as OWASP now advises.
 */
export function securityHeadersPart(options: SecurityHeadersOptions): Middleware {
  return async (ctx, next) => {
    const https = Boolean((ctx.req.socket as TLSSocket).encrypted);
    const headers = securityHeaders(options, https, ctx.flaws);
    for (const [name, value] of Object.entries(headers)) ctx.res.setHeader(name, value);
    if (ctx.flaws.has('headers-server-version')) ctx.res.setHeader('server', LEAKY_SERVER);
    if (ctx.flaws.has('headers-only-on-success')) removeOnErrors(ctx.res, Object.keys(headers));
    await next();
  };
}

/** The flaw: the headers are dropped again whenever the status is not a success. */
function removeOnErrors(res: ServerResponse, names: string[]): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status >= 400) for (const name of names) res.removeHeader(name);
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];
}

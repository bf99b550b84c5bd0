import { DEFAULT_SIGNATURE_HEADERS, type SignatureHeaderNames } from '../../signing/canonical.js';
import type { Middleware } from '../server/http-types.js';
import { BodyTooLargeError } from '../server/read-body.js';
import { sendProblem } from '../server/respond.js';
import { rawBodyOf } from '../validation/raw-body.js';
import { NonceCache } from './nonce-cache.js';
import { verifySignedRequest } from './verify.js';

export interface SigningOptions {
  /** key id -> shared secret. */
  keys: Record<string, string>;
  headers?: SignatureHeaderNames;
  /** Allowed clock skew either way (default 300 s). */
  skewSeconds?: number;
  /** Nonces remembered at most (default 100 000); when full of live nonces, signed requests get 503. */
  nonceCacheSize?: number;
  /** Body bytes read at most to hash them (default 64 KiB). */
  maxBodyBytes?: number;
  /** Injected clock (epoch ms), for tests. */
  now?: () => number;
}

/** Routes marked `signed` in their metadata need an HMAC-signed request (see src/signing/ for the format). */
export function signingPart(options: SigningOptions): Middleware {
  const now = options.now ?? Date.now;
  const nonces = new NonceCache(options.nonceCacheSize ?? 100_000, now);
  const keys = new Map(Object.entries(options.keys));
  const headers = options.headers ?? DEFAULT_SIGNATURE_HEADERS;
  const skewMs = (options.skewSeconds ?? 300) * 1000;
  const limit = options.maxBodyBytes ?? 64 * 1024;

  return async (ctx, next) => {
    if (ctx.route.kind !== 'found' || !ctx.route.meta.signed) return next();
    let body: Buffer;
    try {
      body = await rawBodyOf(ctx, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendProblem(ctx.res, 413, 'Payload too large', error.message);
      throw error;
    }
    // The path and query as the client sent them, before any part rewrote the URL (versioning does).
    const sent = new URL(ctx.req.url ?? '/', 'http://reference.invalid');
    const result = verifySignedRequest(
      {
        method: ctx.req.method ?? 'GET',
        path: sent.pathname,
        query: sent.search,
        body,
        header: (name) => {
          const value = ctx.req.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
      },
      {
        keys,
        headers,
        skewMs,
        nonces,
        now,
        checkTimestamp: !ctx.flaws.has('signing-no-timestamp-check'),
        checkNonce: !ctx.flaws.has('signing-replay'),
      },
    );
    if (!result.ok) {
      const extra: Record<string, string> =
        result.status === 401 ? { 'www-authenticate': 'HMAC-SHA256 realm="gauntlet-reference"' } : { 'retry-after': '1' };
      return sendProblem(ctx.res, result.status, result.status === 401 ? 'Invalid request signature' : 'Try again later', result.reason, {}, extra);
    }
    ctx.locals.signedBy = result.keyId;
    await next();
  };
}

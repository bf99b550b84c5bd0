import { timingSafeEqual } from 'node:crypto';
import { canonicalString, type SignatureHeaderNames } from '../../signing/canonical.js';
import { signature } from '../../signing/client.js';
import type { NonceCache } from './nonce-cache.js';

export interface SignedRequest {
  method: string;
  path: string;
  query: string;
  body: Buffer;
  header(name: string): string | undefined;
}

export interface VerifierOptions {
  /** key id -> shared secret */
  keys: ReadonlyMap<string, string>;
  headers: SignatureHeaderNames;
  skewMs: number;
  nonces: NonceCache;
  now: () => number;
  /** Flaws: skip the clock-skew window, or the nonce cache. */
  checkTimestamp: boolean;
  checkNonce: boolean;
}

export type Verification =
  | { ok: true; keyId: string }
  | { ok: false; status: 401 | 503; reason: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Verifies an HMAC-signed request: every header present, a known key, a timestamp within the skew window,
 * a signature that matches (compared in constant time), and a nonce not seen before. The nonce is remembered
 * only once the signature is known good, so unsigned traffic cannot fill the cache.
 */
export function verifySignedRequest(request: SignedRequest, options: VerifierOptions): Verification {
  const { headers } = options;
  const keyId = request.header(headers.keyId);
  const timestampText = request.header(headers.timestamp);
  const nonce = request.header(headers.nonce);
  const given = request.header(headers.signature);
  const missing = [
    [headers.keyId, keyId],
    [headers.timestamp, timestampText],
    [headers.nonce, nonce],
    [headers.signature, given],
  ].filter(([, v]) => v === undefined || v === '');
  if (missing.length) return fail(`missing ${missing.map(([n]) => n).join(', ')}`);

  const secret = options.keys.get(keyId!);
  if (secret === undefined) return fail('unknown signing key id');
  if (!/^\d{1,12}$/.test(timestampText!)) return fail(`${headers.timestamp} must be Unix seconds`);
  if (!NONCE.test(nonce!)) return fail(`${headers.nonce} must be 16-128 characters of [A-Za-z0-9_-]`);
  const timestamp = Number(timestampText);
  const now = options.now();
  if (options.checkTimestamp && Math.abs(now - timestamp * 1000) > options.skewMs) {
    return fail(`timestamp outside the allowed clock skew of ${options.skewMs / 1000}s`);
  }
  if (!HEX_SHA256.test(given!)) return fail('malformed signature');

  const expected = Buffer.from(
    signature(secret, canonicalString({ method: request.method, path: request.path, query: request.query, body: request.body, timestamp, nonce: nonce!, keyId: keyId! })),
    'hex',
  );
  const provided = Buffer.from(given!, 'hex');
  // Both are 32 bytes (checked above), as timingSafeEqual requires.
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) return fail('signature does not match');

  if (options.checkNonce) {
    const verdict = options.nonces.remember(`${keyId}:${nonce}`, timestamp * 1000 + options.skewMs + 1000);
    if (verdict === 'replayed') return fail('nonce already used (replayed request)');
    if (verdict === 'full') return { ok: false, status: 503, reason: 'replay cache full; retry shortly' };
  }
  return { ok: true, keyId: keyId! };
}

function fail(reason: string): Verification {
  return { ok: false, status: 401, reason };
}

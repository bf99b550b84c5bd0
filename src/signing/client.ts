import { createHmac, randomBytes } from 'node:crypto';
import { canonicalString, DEFAULT_SIGNATURE_HEADERS, type SignatureHeaderNames } from './canonical.js';

export interface SigningCredentials {
  keyId: string;
  secret: string;
}

export interface RequestToSign {
  method: string;
  /** Absolute URL, or a path with its query (`/api/users/3?x=1`). */
  url: string | URL;
  body?: string | Buffer;
}

export interface SignOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
  headers?: SignatureHeaderNames;
}

export function signature(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

/**
 * The headers that sign a request: key id, timestamp, nonce and an HMAC-SHA256 of the canonical string.
 * Send the body exactly as passed here; any other byte changes the body hash.
 *
 * ```ts
 * const headers = signRequest({ method: 'PUT', url: '/api/users/3', body }, { keyId, secret });
 * await fetch(base + '/api/users/3', { method: 'PUT', body, headers: { ...headers, 'content-type': 'application/json' } });
 * ```
 */
export function signRequest(request: RequestToSign, credentials: SigningCredentials, options: SignOptions = {}): Record<string, string> {
  const url = typeof request.url === 'string' ? new URL(request.url, 'http://signing.invalid') : request.url;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const names = options.headers ?? DEFAULT_SIGNATURE_HEADERS;
  const canonical = canonicalString({
    method: request.method,
    path: url.pathname,
    query: url.search,
    body: request.body,
    timestamp,
    nonce,
    keyId: credentials.keyId,
  });
  return {
    [names.keyId]: credentials.keyId,
    [names.timestamp]: String(timestamp),
    [names.nonce]: nonce,
    [names.signature]: signature(credentials.secret, canonical),
  };
}

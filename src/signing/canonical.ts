import { createHash } from 'node:crypto';

/** The algorithm label, first line of every canonical string; a new version of the format gets a new label. */
export const SIGNING_ALGORITHM = 'GAUNTLET-HMAC-SHA256';

/** Where a signed request carries its signature and what was signed with it. */
export interface SignatureHeaderNames {
  keyId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export const DEFAULT_SIGNATURE_HEADERS: SignatureHeaderNames = {
  keyId: 'X-Signature-Key-Id',
  timestamp: 'X-Signature-Timestamp',
  nonce: 'X-Signature-Nonce',
  signature: 'X-Signature',
};

export interface CanonicalParts {
  method: string;
  /** The path as sent (URL-encoded, as the WHATWG URL parser serialises it), without the query. */
  path: string;
  /** The query string, with or without its leading `?`. */
  query: string;
  body: string | Buffer | undefined;
  /** Unix time in whole seconds. */
  timestamp: number;
  nonce: string;
  keyId: string;
}

/** RFC 3986 unreserved characters stay, everything else is percent-encoded (encodeURIComponent leaves !'()*). */
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters decoded, sorted by name then value, re-encoded strictly: the same query however it was spelled. */
export function canonicalQuery(query: string): string {
  const pairs = [...new URLSearchParams(query.replace(/^\?/, ''))];
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`).join('&');
}

export function bodyHash(body: string | Buffer | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

/**
 * The text that is signed: one field per line, so no field can bleed into the next. The nonce is signed too,
 * or an attacker could replay a request under a fresh nonce.
 */
export function canonicalString(parts: CanonicalParts): string {
  return [
    SIGNING_ALGORITHM,
    parts.method.toUpperCase(),
    parts.path || '/',
    canonicalQuery(parts.query),
    bodyHash(parts.body),
    String(parts.timestamp),
    parts.nonce,
    parts.keyId,
  ].join('\n');
}

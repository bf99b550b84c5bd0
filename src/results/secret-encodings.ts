import { percentEncode } from '../util/percent-encode.js';

/**
 * The forms a secret takes in what a target sends back, each redacted like the secret itself:
 * - as is, percent-encoded (a path, or a query as URLSearchParams writes it), JSON-escaped;
 * - base64 with and without padding, base64url with and without padding, and standard base64 percent-encoded;
 * - hex in lower and upper case;
 * - inside a longer base64 or base64url text (`Basic base64(user:key)`, a token wrapping the key): the key's
 *   bytes start at one of 3 offsets in a 3-byte group, so for each offset the characters that depend on the
 *   key's bytes alone are a form. A character or two at each end, which mix in the neighbouring bytes, stay.
 */
export function secretEncodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const base64url = bytes.toString('base64url');
  const hex = bytes.toString('hex');
  const forms = [
    ...plainForms(secret),
    base64,
    base64.replace(/=+$/, ''),
    encodeURIComponent(base64),
    base64url,
    `${base64url}${'='.repeat((4 - (base64url.length % 4)) % 4)}`,
    hex,
    hex.toUpperCase(),
  ];
  for (let offset = 0; offset < 3; offset++) {
    const inner = innerBase64(bytes, offset);
    forms.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'), encodeURIComponent(inner));
  }
  return [...new Set(forms)];
}

/**
 * The base64 characters of `bytes` placed `offset` bytes into a longer text that depend on nothing else: a
 * character carries 6 bits, so those wholly inside the key's bits, whatever comes before and after.
 */
function innerBase64(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const first = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + bytes.length)) / 6);
  return encoded.slice(first, end);
}

/** The secret as is, percent-encoded (a path, or a query as URLSearchParams writes it) and JSON-escaped. */
export function plainForms(secret: string): string[] {
  const query = new URLSearchParams({ k: secret }).toString().slice(2);
  return [...new Set([secret, percentEncode(secret), query, JSON.stringify(secret).slice(1, -1)])];
}

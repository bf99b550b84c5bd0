import { describe, expect, it } from 'vitest';
import { fingerprint, SecretRegistry } from '../../src/results/secrets.js';

/** 34 bytes (not a multiple of 3, so padded), with characters whose base64 has + and / in it. */
const KEY = 'sk_live_Zq8wX3vN5mK1pL7r~~~???>>>x';
const LABEL = `[redacted:${fingerprint(KEY)}]`;
const bytes = Buffer.from(KEY);

function registry(): SecretRegistry {
  const secrets = new SecretRegistry();
  secrets.add(KEY);
  return secrets;
}

const ENCODED: Record<string, string> = {
  'base64': bytes.toString('base64'),
  'base64 without padding': bytes.toString('base64').replace(/=+$/, ''),
  'base64url': bytes.toString('base64url'),
  'base64url with padding': `${bytes.toString('base64url')}==`,
  'base64, percent-encoded': encodeURIComponent(bytes.toString('base64')),
  'hex': bytes.toString('hex'),
  'HEX': bytes.toString('hex').toUpperCase(),
};

describe('redacting encodings of a secret', () => {
  it('tests encodings that differ from each other (+ / = in base64, - _ in base64url)', () => {
    expect(ENCODED['base64']).toMatch(/\+.*\/.*=$|\/.*\+.*=$/);
    expect(ENCODED['base64url']).toMatch(/-/);
    expect(ENCODED['base64url']).toMatch(/_/);
    expect(new Set(Object.values(ENCODED)).size).toBe(Object.keys(ENCODED).length);
  });

  it.each(Object.entries(ENCODED))('replaces the key %s-encoded by its label', (_name, encoded) => {
    expect(registry().redactString(`echo=${encoded};`)).toBe(`echo=${LABEL};`);
  });

  // Encoding "user:" + key + a suffix puts the key at each offset within a base64 group as the prefix grows.
  it.each(['', 'u', 'us', 'user:', 'user:1', 'user:12'])('finds the key inside a longer base64 text after %j', (prefix) => {
    const text = Buffer.from(`${prefix}${KEY}:trailer`);
    for (const encoded of [text.toString('base64'), text.toString('base64url')]) {
      const out = registry().redactString(`Authorization: Basic ${encoded}`);
      expect(out).toContain(LABEL);
      // What is left of the encoding carries at most two characters of the key's bits at each end.
      const kept = out.replace('Authorization: Basic ', '').split(LABEL);
      const prefixChars = Math.ceil((prefix.length * 8) / 6);
      expect(kept[0]!.length).toBeLessThanOrEqual(prefixChars + 1);
    }
  });

  it("redacts a PEM encoded whole in base64 (a Kubernetes secret's form)", () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    const secrets = new SecretRegistry();
    secrets.addPem(pem);
    const encoded = Buffer.from(pem).toString('base64');
    expect(secrets.redactString(`tls.key: ${encoded}`)).toBe(`tls.key: [redacted:${fingerprint(pem)}]`);
  });

  // Found by the response fuzzer: a target issued a key holding half a surrogate pair, and registering it threw
  // "URIError: URI malformed" (encodeURIComponent), an internal error that ended the api-key check.
  it('takes a secret holding a lone surrogate, and redacts its percent-encoded form as a URL writes it', () => {
    const odd = 'gk_live_\u0000.\ud800tail';
    const secrets = new SecretRegistry();
    expect(() => secrets.add(odd)).not.toThrow();
    const url = new URL('http://h/x');
    url.searchParams.append('k', odd);
    const path = new URL(`http://h/${odd}`).pathname;
    const label = `[redacted:${fingerprint(odd)}]`;
    expect(secrets.redactString(`${odd} ${url.search} ${path}`)).toBe(`${label} ?k=${label} /${label}`);
  });

  it('leaves text alone that holds none of them', () => {
    const text = `${Buffer.from('sk_live_someone_else').toString('base64')} ${Buffer.from('other').toString('hex')}`;
    expect(registry().redactString(text)).toBe(text);
  });
});

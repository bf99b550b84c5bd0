import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../src/reference/signing/nonce-cache.js';
import { verifySignedRequest, type SignedRequest, type VerifierOptions } from '../../src/reference/signing/verify.js';
import { canonicalQuery, canonicalString, DEFAULT_SIGNATURE_HEADERS, signRequest } from '../../src/signing/index.js';

const SECRET = 'test-secret-0123456789';
const KEY_ID = 'client-1';
const T0 = 1_700_000_000; // Unix seconds

describe('canonical string', () => {
  it('is the algorithm, method, path, sorted query, body hash, timestamp, nonce and key id, one per line', () => {
    const body = '{"a":1}';
    const text = canonicalString({ method: 'put', path: '/api/users/3', query: '?b=2&a=1&a=0', body, timestamp: T0, nonce: 'n'.repeat(16), keyId: KEY_ID });
    expect(text.split('\n')).toEqual([
      'GAUNTLET-HMAC-SHA256',
      'PUT',
      '/api/users/3',
      'a=0&a=1&b=2',
      createHash('sha256').update(body).digest('hex'),
      String(T0),
      'n'.repeat(16),
      KEY_ID,
    ]);
  });

  it('encodes the query strictly, so equivalent spellings sign the same', () => {
    expect(canonicalQuery('?q=a b&x=it%27s')).toBe("q=a%20b&x=it%27s");
    expect(canonicalQuery('q=a+b&x=it\'s')).toBe(canonicalQuery('?x=it%27s&q=a%20b'));
    expect(canonicalQuery('')).toBe('');
  });

  it('signs with HMAC-SHA256 of that text, as an independent computation gives', () => {
    const headers = signRequest({ method: 'POST', url: 'https://api.example/x/y?z=1', body: 'hello' }, { keyId: KEY_ID, secret: SECRET }, { timestamp: T0, nonce: 'abcdefghijklmnop' });
    const expected = createHmac('sha256', SECRET)
      .update(['GAUNTLET-HMAC-SHA256', 'POST', '/x/y', 'z=1', createHash('sha256').update('hello').digest('hex'), String(T0), 'abcdefghijklmnop', KEY_ID].join('\n'))
      .digest('hex');
    expect(headers).toEqual({
      'X-Signature-Key-Id': KEY_ID,
      'X-Signature-Timestamp': String(T0),
      'X-Signature-Nonce': 'abcdefghijklmnop',
      'X-Signature': expected,
    });
  });

  it('draws a fresh nonce each time', () => {
    const a = signRequest({ method: 'GET', url: '/a' }, { keyId: KEY_ID, secret: SECRET });
    const b = signRequest({ method: 'GET', url: '/a' }, { keyId: KEY_ID, secret: SECRET });
    expect(a['X-Signature-Nonce']).not.toBe(b['X-Signature-Nonce']);
  });
});

describe('verifying a signed request', () => {
  let clock = T0 * 1000;
  const options = (overrides: Partial<VerifierOptions> = {}): VerifierOptions => ({
    keys: new Map([[KEY_ID, SECRET]]),
    headers: DEFAULT_SIGNATURE_HEADERS,
    skewMs: 300_000,
    nonces: new NonceCache(100, () => clock),
    now: () => clock,
    checkTimestamp: true,
    checkNonce: true,
    ...overrides,
  });
  const request = (headers: Record<string, string>, change: Partial<Omit<SignedRequest, 'header'>> = {}): SignedRequest => {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return { method: 'PUT', path: '/api/users/3', query: '?v=1', body: Buffer.from('{"name":"x"}'), header: (n) => lower[n.toLowerCase()], ...change };
  };
  const sign = (timestamp = T0, nonce?: string) =>
    signRequest({ method: 'PUT', url: '/api/users/3?v=1', body: '{"name":"x"}' }, { keyId: KEY_ID, secret: SECRET }, { timestamp, nonce });

  it('accepts a correct signature once, and refuses its replay', () => {
    clock = T0 * 1000;
    const opts = options();
    const headers = sign();
    expect(verifySignedRequest(request(headers), opts)).toEqual({ ok: true, keyId: KEY_ID });
    expect(verifySignedRequest(request(headers), opts)).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('replayed') });
  });

  it.each([
    ['method', { method: 'POST' }],
    ['path', { path: '/api/users/2' }],
    ['query', { query: '?v=2' }],
    ['body', { body: Buffer.from('{"name":"y"}') }],
  ] as const)('refuses a request whose %s changed after signing', (_what, change) => {
    clock = T0 * 1000;
    expect(verifySignedRequest(request(sign(), change), options())).toMatchObject({ ok: false, status: 401, reason: 'signature does not match' });
  });

  it('refuses a changed timestamp, nonce or key id (all signed)', () => {
    clock = T0 * 1000;
    const headers = sign();
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Timestamp': String(T0 + 1) }), options()).ok).toBe(false);
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Nonce': 'z'.repeat(32) }), options()).ok).toBe(false);
    const twoKeys = options({ keys: new Map([[KEY_ID, SECRET], ['other', SECRET]]) });
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Key-Id': 'other' }), twoKeys)).toMatchObject({ ok: false, reason: 'signature does not match' });
  });

  it('allows exactly the skew window either way', () => {
    clock = T0 * 1000;
    expect(verifySignedRequest(request(sign(T0 - 300)), options()).ok).toBe(true);
    expect(verifySignedRequest(request(sign(T0 + 300)), options()).ok).toBe(true);
    expect(verifySignedRequest(request(sign(T0 - 301)), options())).toMatchObject({ ok: false, reason: expect.stringContaining('clock skew') });
    expect(verifySignedRequest(request(sign(T0 + 301)), options())).toMatchObject({ ok: false, reason: expect.stringContaining('clock skew') });
    // The flaw: no window at all.
    expect(verifySignedRequest(request(sign(T0 - 86_400)), options({ checkTimestamp: false })).ok).toBe(true);
  });

  it('refuses missing headers, an unknown key and malformed values without throwing', () => {
    clock = T0 * 1000;
    const headers = sign();
    expect(verifySignedRequest(request({}), options())).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing X-Signature-Key-Id, X-Signature-Timestamp/) });
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Key-Id': 'nobody' }), options())).toMatchObject({ ok: false, reason: 'unknown signing key id' });
    // A short signature must not reach timingSafeEqual (which throws on unequal lengths).
    expect(verifySignedRequest(request({ ...headers, 'X-Signature': 'abcd' }), options())).toMatchObject({ ok: false, reason: 'malformed signature' });
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Timestamp': '1.5e9' }), options()).ok).toBe(false);
    expect(verifySignedRequest(request({ ...headers, 'X-Signature-Nonce': 'short' }), options()).ok).toBe(false);
  });

  it('does not burn a nonce on a request whose signature is wrong', () => {
    clock = T0 * 1000;
    const opts = options();
    const headers = sign(T0, 'n0nce-n0nce-n0nce');
    expect(verifySignedRequest(request({ ...headers, 'X-Signature': '0'.repeat(64) }), opts).ok).toBe(false);
    expect(verifySignedRequest(request(headers), opts).ok).toBe(true);
  });

  it('answers 503 when the replay cache is full of live nonces', () => {
    clock = T0 * 1000;
    const opts = options({ nonces: new NonceCache(2, () => clock) });
    expect(verifySignedRequest(request(sign()), opts).ok).toBe(true);
    expect(verifySignedRequest(request(sign()), opts).ok).toBe(true);
    expect(verifySignedRequest(request(sign()), opts)).toMatchObject({ ok: false, status: 503 });
  });
});

describe('nonce cache', () => {
  it('remembers until expiry, stays bounded, and frees expired entries when full', () => {
    let now = 0;
    const cache = new NonceCache(3, () => now);
    expect(cache.remember('a', 1000)).toBe('fresh');
    expect(cache.remember('a', 1000)).toBe('replayed');
    expect(cache.remember('b', 5000)).toBe('fresh');
    expect(cache.remember('c', 5000)).toBe('fresh');
    expect(cache.remember('d', 5000)).toBe('full');
    expect(cache.size).toBe(3);
    now = 1000; // 'a' expired
    expect(cache.remember('a', 6000)).toBe('fresh'); // an expired nonce is not a replay (its timestamp check guards it)
    expect(cache.remember('d', 6000)).toBe('full');
    now = 5000;
    expect(cache.remember('d', 9000)).toBe('fresh');
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new NonceCache(0, Date.now)).toThrow(RangeError);
  });
});

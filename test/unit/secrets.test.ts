import { describe, expect, it } from 'vitest';
import { fingerprint, MAX_REDACT_DEPTH, SecretRegistry, TOO_DEEP } from '../../src/results/secrets.js';

describe('SecretRegistry', () => {
  const key = 'sk_test_9f8e7d6c5b4a+/=';

  it('replaces a secret value wherever it appears, also URL- and JSON-encoded', () => {
    const secrets = new SecretRegistry();
    secrets.add(key);
    const out = secrets.redact({
      url: `http://h/x?api_key=${encodeURIComponent(key)}`,
      body: `{"echo":"${key}"}`,
      list: [`k=${key}`],
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain(key);
    expect(text).not.toContain(encodeURIComponent(key));
    expect(text).toContain(`[redacted:${fingerprint(key)}]`);
  });

  it('redacts a key placed in a query string as URLSearchParams writes it (space as +, ~ ! ( ) escaped)', () => {
    const odd = 'ak_live_a~b!c(d)e f';
    const secrets = new SecretRegistry();
    secrets.add(odd);
    const url = new URL('http://h/x');
    url.searchParams.append('api_key', odd);
    expect(url.toString()).toContain('ak_live_a%7Eb%21c%28d%29e+f');
    const text = JSON.stringify(secrets.redact({ url: url.toString() }));
    expect(text).not.toContain('a%7Eb%21c%28d%29e+f');
    expect(text).toContain(`[redacted:${fingerprint(odd)}]`);
  });

  it('redacts credential headers by name even for unknown values', () => {
    const secrets = new SecretRegistry();
    const out = secrets.redact({ headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'zzz', 'set-cookie': ['a=1', 'b=2'], accept: 'json' } });
    expect(out.headers.Authorization).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
    expect(out.headers['x-api-key']).toMatch(/^\[redacted:/);
    expect(out.headers['set-cookie']).toEqual([expect.stringMatching(/^\[redacted:/), expect.stringMatching(/^\[redacted:/)]);
    expect(out.headers.accept).toBe('json');
  });

  it('hides a PEM private key and its base64 lines', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    const secrets = new SecretRegistry();
    secrets.addPem(pem);
    const out = secrets.redactString(`leak: ${pem} and a line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC`);
    expect(out).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  // Found by the response fuzzer: a target that issued a 20 000-character key made every redaction throw "Invalid
  // regular expression: ... Regular expression too large", and with it the whole run, with no report.
  it('redacts a 20 000-character secret in every form, beside short ones, without one expression V8 refuses', () => {
    const secrets = new SecretRegistry();
    const long = Array.from({ length: 20_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7) % 26]).join('');
    secrets.add(key);
    secrets.add(long);
    const label = (secret: string) => `[redacted:${fingerprint(secret)}]`;
    const text = `hex ${Buffer.from(long).toString('hex')} base64 ${Buffer.from(long).toString('base64')} plain ${long} short ${key} in two-byte text: é`;
    expect(secrets.redactString(text)).toBe(`hex ${label(long)} base64 ${label(long)} plain ${label(long)} short ${label(key)} in two-byte text: é`);
  });

  it('ignores values too short to be secrets, and leaves other text alone', () => {
    const secrets = new SecretRegistry();
    secrets.add('ab');
    expect(secrets.redactString('abcabc')).toBe('abcabc');
  });

  it('redacts a secret that a target used as a header name or JSON key', () => {
    const secrets = new SecretRegistry();
    secrets.add(key);
    const out = secrets.redact({ headers: { [key]: 'x', [`x-${key}`]: 'y' } });
    expect(JSON.stringify(out)).not.toContain(key);
    expect(Object.keys(out.headers)).toEqual([`[redacted:${fingerprint(key)}]`, `x-[redacted:${fingerprint(key)}]`]);
  });

  it('masks the start of a secret left at a cut, before every cut mark and at the end of a partly kept body', () => {
    const secrets = new SecretRegistry();
    secrets.add(key);
    const masked = `[redacted:${fingerprint(key)}…]`;
    expect(secrets.redactString(`not JSON: {"k":"${key.slice(0, 9)}…`)).toBe(`not JSON: {"k":"${masked}…`);
    expect(secrets.redactString(`Retry-After '${key.slice(0, 12)}…' is neither seconds nor an HTTP date`)).toBe(`Retry-After '${masked}…' is neither seconds nor an HTTP date`);
    expect(secrets.redactString(`${'x'.repeat(20)}${key.slice(0, 8)}… [9000 bytes]`)).toBe(`${'x'.repeat(20)}${masked}… [9000 bytes]`);
    const response = secrets.redact({ status: 200, body: `echo ${key.slice(0, 10)}`, bodyTruncated: true });
    expect(response.body).toBe(`echo ${masked}`);
    // Too short to say anything, not at a cut, or a whole body: left alone.
    expect(secrets.redactString(`a ${key.slice(0, 5)}…`)).toBe(`a ${key.slice(0, 5)}…`);
    expect(secrets.redactString(`a ${key.slice(0, 10)} b`)).toBe(`a ${key.slice(0, 10)} b`);
    expect(secrets.redact({ body: `echo ${key.slice(0, 10)}`, bodyTruncated: false }).body).toBe(`echo ${key.slice(0, 10)}`);
  });

  it('redacts a 100 000-deep value without running out of stack, leaving out what is past its depth', () => {
    const secrets = new SecretRegistry();
    secrets.add(key);
    let deep: unknown = key;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const shallow = { a: { b: [key] } };
    const out = secrets.redact({ deep, shallow });
    const text = JSON.stringify(out);
    expect(text).not.toContain(key);
    expect(JSON.stringify(out.shallow)).toBe(`{"a":{"b":["[redacted:${fingerprint(key)}]"]}}`);
    let kept: unknown = out.deep;
    let levels = 0;
    while (kept !== null && typeof kept === 'object') {
      kept = (kept as { a: unknown }).a;
      levels++;
    }
    expect(kept).toBe(TOO_DEEP);
    expect(levels).toBe(MAX_REDACT_DEPTH);
  });

  it('redacts secrets added between redactions, also one that contains or sits inside one known before', () => {
    const secrets = new SecretRegistry();
    const old = 'gk_live_0123456789abcdef';
    secrets.add(old);
    expect(secrets.redactString(`a ${old} b`)).toBe(`a [redacted:${fingerprint(old)}] b`);
    // Added after the matcher was built, as a signing check adds each request's signature.
    const signatures = Array.from({ length: 300 }, (_, i) => `sig${i.toString(36).padStart(4, '0')}Zq9`);
    for (const signature of signatures) {
      secrets.add(signature);
      expect(secrets.redactString(`x-signature: ${signature}; ${old}`)).toBe(`x-signature: [redacted:${fingerprint(signature)}]; [redacted:${fingerprint(old)}]`);
    }
    const containing = `prefix-${old}-suffix`;
    secrets.add(containing);
    expect(secrets.redactString(`[${containing}]`)).toBe(`[[redacted:${fingerprint(containing)}]]`);
    const inside = '0123456789ab';
    secrets.add(inside);
    expect(secrets.redactString(`${old} ${inside}`)).toBe(`[redacted:${fingerprint(old)}] [redacted:${fingerprint(inside)}]`);
    for (const signature of signatures) expect(secrets.redactString(signature)).toBe(`[redacted:${fingerprint(signature)}]`);
  });
});

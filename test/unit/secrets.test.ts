import { describe, expect, it } from 'vitest';
import { fingerprint, SecretRegistry } from '../../src/results/secrets.js';

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

  it('ignores values too short to be secrets, and leaves other text alone', () => {
    const secrets = new SecretRegistry();
    secrets.add('ab');
    expect(secrets.redactString('abcabc')).toBe('abcabc');
  });
});

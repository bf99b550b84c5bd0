import { describe, expect, it } from 'vitest';
import { challengeScheme } from '../../src/checks/api-key/challenge.js';

describe('WWW-Authenticate challenge syntax (RFC 9110 §11.6.1)', () => {
  it('finds the auth-scheme a challenge opens with, alone, with a token68 or with auth-params', () => {
    expect(challengeScheme('Bearer')).toBe('Bearer');
    expect(challengeScheme('Basic realm="api", charset="UTF-8"')).toBe('Basic');
    expect(challengeScheme('Newauth abc123=')).toBe('Newauth');
    expect(challengeScheme('ApiKey, Bearer error="invalid_token"')).toBe('ApiKey');
  });

  it('finds none in an absent, empty or scheme-less value', () => {
    expect(challengeScheme(undefined)).toBeUndefined();
    expect(challengeScheme('')).toBeUndefined();
    expect(challengeScheme('   ')).toBeUndefined();
    expect(challengeScheme('realm="api"')).toBeUndefined();
    expect(challengeScheme('"Bearer"')).toBeUndefined();
  });
});

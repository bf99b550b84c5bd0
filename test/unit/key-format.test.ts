import { describe, expect, it } from 'vitest';
import { checksum, displayPrefixOf, hasKeyShape, MAX_KEY_LENGTH, mintKey, parseKey } from '../../src/reference/keys/key-format.js';

const fixedRandom = (size: number) => Buffer.alloc(size, 7);

describe('API key format', () => {
  it('mints <prefix>_<env>_<43 base64url chars><6 base62 checksum chars> that parse back', () => {
    const key = mintKey({ prefix: 'sk', environment: 'test' });
    expect(key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}[A-Za-z0-9]{6}$/);
    expect(parseKey(key)).toEqual({ ok: true, key: { scheme: { prefix: 'sk', environment: 'test' }, displayPrefix: key.slice(0, 16) } });
    expect(mintKey()).not.toBe(mintKey());
  });

  it('is deterministic for a given random source, with a CRC32 checksum of the body', () => {
    const key = mintKey({ prefix: 'gk', environment: 'live' }, fixedRandom);
    const body = `gk_live_${Buffer.alloc(32, 7).toString('base64url')}`;
    expect(key).toBe(body + checksum(body));
    expect(checksum(body)).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(displayPrefixOf(key)).toBe(body.slice(0, 16));
  });

  it('rejects every single-character typo and every adjacent swap without a lookup', () => {
    const key = mintKey({ prefix: 'gk', environment: 'live' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let variants = 0;
    for (let i = 0; i < key.length; i++) {
      for (const c of alphabet) {
        if (c === key[i]) continue;
        const typo = key.slice(0, i) + c + key.slice(i + 1);
        expect(parseKey(typo).ok, `typo at ${i}`).toBe(false);
        variants++;
      }
      if (i + 1 < key.length && key[i] !== key[i + 1]) {
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        expect(parseKey(swapped).ok, `swap at ${i}`).toBe(false);
      }
    }
    expect(variants).toBe(key.length * (alphabet.length - 1));
  });

  it('names what is wrong with a malformed key', () => {
    const key = mintKey();
    expect(parseKey('')).toEqual({ ok: false, problem: 'empty' });
    expect(parseKey('x'.repeat(10_240))).toEqual({ ok: false, problem: 'too-long' });
    expect(parseKey(`${key.slice(0, -2)}é1`)).toEqual({ ok: false, problem: 'not-ascii' });
    expect(parseKey(`' OR '1'='1`)).toEqual({ ok: false, problem: 'not-ascii' });
    expect(parseKey(`{"$ne":null}`)).toEqual({ ok: false, problem: 'bad-shape' });
    expect(parseKey(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toEqual({ ok: false, problem: 'bad-checksum' });
    expect(hasKeyShape(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBe(true);
    expect(MAX_KEY_LENGTH).toBeLessThan(100);
  });

  it('refuses labels that would make keys ambiguous', () => {
    expect(() => mintKey({ prefix: 'g_k', environment: 'live' })).toThrow(/prefix/);
    expect(() => mintKey({ prefix: 'gk', environment: 'Live' })).toThrow(/environment/);
  });
});

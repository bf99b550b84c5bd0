import { describe, expect, it } from 'vitest';
import { assertLoadAllowed, isLoopbackHost } from '../../src/engine/load-guard.js';

describe('load guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    [new URL('http://[::ffff:127.0.0.2]/').hostname, true],
    [new URL('http://[::ffff:10.0.0.1]/').hostname, false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['example.com', false],
    ['127.0.0.1.nip.io', false],
    ['api.localhost', false],
  ])('%s is loopback: %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));

  it('refuses a non-loopback target without allowLoad, naming it and the way out', () => {
    expect(() => assertLoadAllowed(['https://api.example.com/x'], false)).toThrow(/api\.example\.com.*--allow-load/);
    expect(() => assertLoadAllowed(['https://api.example.com/x'], true)).not.toThrow();
    expect(() => assertLoadAllowed(['http://127.0.0.1:8080', 'http://[::1]:8080'], false)).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/util/did-you-mean.js';
import { parseDuration } from '../../src/util/duration.js';
import { idMatcher } from '../../src/runner/select.js';

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['250', 250],
    [750, 750],
  ])('%s -> %d ms', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each(['5 seconds', 'abc', '-1s', '', '1x'])('rejects %s', (input) => expect(parseDuration(input)).toBeUndefined());
});

describe('didYouMean', () => {
  it('suggests a close name', () => {
    expect(didYouMean('statu', ['status', 'headers', 'json'])).toBe('status');
    expect(didYouMean('hgh', ['info', 'low', 'medium', 'high', 'critical'])).toBe('high');
  });
  it('stays quiet when nothing is close', () => {
    expect(didYouMean('zzzzzz', ['status', 'headers'])).toBeUndefined();
  });
  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('idMatcher', () => {
  const matches = (glob: string, id: string) => idMatcher([glob])(id);
  it('matches ids with * and ?', () => {
    expect(matches('basics.*', 'basics.user-read')).toBe(true);
    expect(matches('basics.*', 'keys.matrix')).toBe(false);
    expect(matches('*.boundary', 'limits.boundary')).toBe(true);
    expect(matches('a.?', 'a.b')).toBe(true);
    expect(matches('a.?', 'a.bc')).toBe(false);
    expect(matches('a.b', 'aXb')).toBe(false);
  });
  it('lets * cross the dots of a case id, and takes braces and classes', () => {
    expect(matches('*.boundary', 'limits.burst.boundary')).toBe(true);
    expect(matches('keys.*', 'keys.matrix.revoked')).toBe(true);
    expect(matches('limits.{burst,slow}.boundary', 'limits.slow.boundary')).toBe(true);
    expect(matches('keys.matrix.re[vw]oked', 'keys.matrix.revoked')).toBe(true);
  });
  it('matches any of several globs', () => {
    expect(idMatcher(['a.*', 'b.c'])('b.c')).toBe(true);
    expect(idMatcher(['a.*', 'b.c'])('b.d')).toBe(false);
  });
});

describe('didYouMean with transpositions', () => {
  it('counts two swapped letters as one edit', () => {
    expect(editDistance('onyl', 'only')).toBe(1);
    expect(didYouMean('jsno', ['console', 'json', 'junit', 'html', 'sarif'])).toBe('json');
    expect(didYouMean('hihg', ['info', 'low', 'medium', 'high', 'critical'])).toBe('high');
  });
});

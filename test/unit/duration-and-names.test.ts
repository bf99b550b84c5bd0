import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/util/did-you-mean.js';
import { parseDuration } from '../../src/util/duration.js';
import { globToRegExp } from '../../src/runner/select.js';

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

describe('globToRegExp', () => {
  it('matches ids with * and ?', () => {
    expect(globToRegExp('basics.*').test('basics.user-read')).toBe(true);
    expect(globToRegExp('basics.*').test('keys.matrix')).toBe(false);
    expect(globToRegExp('*.boundary').test('limits.boundary')).toBe(true);
    expect(globToRegExp('a.?').test('a.b')).toBe(true);
    expect(globToRegExp('a.?').test('a.bc')).toBe(false);
    expect(globToRegExp('a.b').test('aXb')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkBody } from '../../src/checks/http/expect-body.js';
import { checkHeaders } from '../../src/checks/http/expect-headers.js';
import { checkJson } from '../../src/checks/http/expect-json.js';
import { statusMatches } from '../../src/checks/http/expect-status.js';

describe('status expectations', () => {
  it.each([
    [200, 200, true],
    [200, 201, false],
    ['2xx', 204, true],
    ['2xx', 301, false],
    ['400-403', 401, true],
    ['400-403', 404, false],
    [[401, '5xx'], 503, true],
    [[401, 403], 404, false],
  ] as const)('%j against %d -> %s', (expected, status, result) => {
    expect(statusMatches(expected as never, status)).toBe(result);
  });
});

describe('header expectations', () => {
  const headers = { 'content-type': 'application/json; charset=utf-8', vary: ['Origin', 'Accept'] };
  it('checks presence, absence, equality, containment and patterns case-insensitively', () => {
    const results = checkHeaders(
      {
        'Content-Type': { matches: '^application/json', contains: 'charset' },
        vary: { contains: 'Origin' },
        'x-powered-by': { absent: true },
        server: { present: true },
        'content-type': 'text/html',
      },
      headers,
    );
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['header Content-Type contains', true],
      ['header Content-Type matches', true],
      ['header vary contains', true],
      ['header x-powered-by absent', true],
      ['header server present', false],
      ['header content-type equals', false],
    ]);
  });
});

describe('JSON expectations', () => {
  const doc = { id: 7, name: 'Ada', tags: ['a', 'b'], nested: { ok: true }, none: null };
  it('evaluates equals, exists, type, matches and contains', () => {
    const results = checkJson(
      {
        '$.id': 7,
        '/name': { matches: '^A' },
        '$.tags': { contains: 'b', type: 'array' },
        '$.nested': { equals: { ok: true } },
        '$.none': { exists: true, type: 'null' },
        '$.missing': { exists: false },
        '/id': 8,
      },
      doc,
    );
    expect(results.filter((r) => !r.passed).map((r) => r.name)).toEqual(['json /id equals']);
  });
  it('fails a type mismatch and says what it saw', () => {
    const [result] = checkJson({ '$.id': { type: 'string' } }, doc);
    expect(result).toMatchObject({ passed: false, expected: 'string', actual: 'integer' });
  });
});

describe('body expectations', () => {
  it('checks contains, not-contains, matches and equals', () => {
    const results = checkBody({ contains: ['hello', 'world'], 'not-contains': 'stack', matches: '^hel', equals: 'nope' }, 'hello world');
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, false]);
  });
});

describe('JSON expectations on a 100 000-deep document', () => {
  const depth = 100_000;
  const objects: unknown = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  const arrays: unknown = JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

  it('judges exists, equals, matches and contains, showing the value depth-bounded', () => {
    const results = checkJson({ '$.a': { exists: true, equals: 1, matches: 'x', contains: 'a' }, '$.a.a': { equals: { a: { a: 1 } } } }, objects);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['json $.a exists', true],
      ['json $.a equals', false],
      ['json $.a matches', false],
      ['json $.a contains', true],
      ['json $.a.a equals', false],
    ]);
    expect(results[0]!.actual).toMatch(/^\{"a":\{"a":.*…$/);
    expect(results[0]!.actual!.length).toBeLessThanOrEqual(201);
  });

  it('matches a pattern against the JSON text of the first levels', () => {
    const [result] = checkJson({ '$[0]': { matches: '^\\[\\[\\[' } }, arrays);
    expect(result!.passed).toBe(true);
  });

  it('judges a deep array as well', () => {
    const results = checkJson({ '$[0]': { exists: true, equals: [1], contains: [1] }, '$[*]': { type: 'array' } }, arrays);
    expect(results.map((r) => r.passed)).toEqual([true, false, false, true]);
  });
});

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

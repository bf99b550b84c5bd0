import { describe, expect, it } from 'vitest';
import {
  deepNestingProbe,
  invalidFieldsProbe,
  malformedProbe,
  oversizedProbe,
  unexpectedFieldsProbe,
  wrongContentTypeProbe,
} from '../../src/checks/input/probes.js';
import { findStackTrace } from '../../src/checks/leaks.js';
import { tamperJson } from '../../src/checks/signing/tamper.js';
import { jsonNestingDepth } from '../../src/reference/validation/nesting.js';

const VALID = { name: 'Dorothy', email: 'd@example.com', age: 42 };

describe('input probes', () => {
  it('breaks exactly one thing each', () => {
    expect(() => JSON.parse(malformedProbe(VALID).text)).toThrow(SyntaxError);
    const big = oversizedProbe(VALID, 1000);
    expect(Buffer.byteLength(big.text)).toBe(2024);
    expect(JSON.parse(big.text)).toEqual(VALID); // only the size is wrong
    expect(wrongContentTypeProbe(VALID)).toEqual({ text: JSON.stringify(VALID), contentType: 'text/plain; charset=utf-8' });
    expect(jsonNestingDepth(deepNestingProbe(500).text, 10_000)).toBe(500);
    const extra = JSON.parse(unexpectedFieldsProbe(VALID).text);
    expect(Object.keys(extra)).toEqual(['name', 'email', 'age', 'isAdmin', 'role', '__proto__']);
    expect(JSON.parse(invalidFieldsProbe(VALID).text)).toEqual({ name: 12345, email: 12345, age: 'not-a-number' });
  });

  it('measures nesting without being fooled by brackets in strings, and stops early', () => {
    expect(jsonNestingDepth('{"a":"[[[[[","b":[{"c":1}]}', 100)).toBe(3);
    expect(jsonNestingDepth('{"a":"\\"[[["}', 100)).toBe(1);
    expect(jsonNestingDepth('['.repeat(1000), 32)).toBe(33);
  });

  it('tampers with the meaning of a body, not its spelling', () => {
    expect(tamperJson({ id: 3, name: 'Grace' })).toEqual({ id: 3, name: 'Grace (tampered)' });
    expect(tamperJson({ id: 3 })).toEqual({ id: 3, tampered: true });
    expect(tamperJson([1])).toEqual([1, 'tampered']);
  });
});

describe('stack traces in bodies', () => {
  it.each([
    ['Error: boom\n    at handler (/srv/app/index.js:10:5)', 'a JavaScript stack frame'],
    ['{"error":"at node:internal/process/task_queues:95"}', 'a Node.js internal path'],
    ['Traceback (most recent call last):\n  File "app.py", line 3', 'a Python traceback'],
    ['Exception in thread "main" java.lang.NullPointerException', 'a Java exception'],
    ['failed in /var/www/app/server.ts:41', 'a source file and line number'],
    ['goroutine 1 [running]:\nmain.main()', 'a Go panic'],
  ])('finds %j', (text, what) => {
    expect(findStackTrace(text)).toBe(what);
  });

  it('leaves ordinary error documents alone', () => {
    expect(findStackTrace('{"type":"about:blank","title":"Malformed JSON","status":400,"detail":"the body is not valid JSON at position 12"}')).toBeUndefined();
  });
});

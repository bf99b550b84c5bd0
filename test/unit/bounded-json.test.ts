import { describe, expect, it } from 'vitest';
import { boundedJson, MAX_JSON_DEPTH, nestedDeeperThan } from '../../src/util/bounded-json.js';

/** `{"a":{"a":...1...}}` built without recursion, `depth` objects deep. */
function deepObject(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function deepArray(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('boundedJson', () => {
  it('is exactly JSON.stringify within its bounds', () => {
    const samples: unknown[] = [null, true, 0, -1.5, 'text "quoted" \n', [], {}, [1, 'a', null, { b: [2, 3] }], { 'odd key': { x: [] }, e: 'é' }, deepObject(MAX_JSON_DEPTH)];
    for (const value of samples) expect(boundedJson(value, 10_000)).toBe(JSON.stringify(value));
  });

  it('writes objects and arrays past the depth bound as {…} and […]', () => {
    expect(boundedJson(deepObject(3), 100, 2)).toBe('{"a":{"a":{…}}}');
    expect(boundedJson(deepArray(3), 100, 2)).toBe('[[[…]]]');
    expect(boundedJson({ a: 1, b: { c: 2 } }, 100, 1)).toBe('{"a":1,"b":{…}}');
  });

  it('renders a 100 000-deep object or array from a target without running out of stack', () => {
    const objects = boundedJson(JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`), 200);
    expect(objects.startsWith('{"a":{"a":')).toBe(true);
    expect(objects.length).toBeLessThanOrEqual(201);
    expect(boundedJson(JSON.parse(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`), 10_000)).toBe(`${'['.repeat(MAX_JSON_DEPTH)}[…]${']'.repeat(MAX_JSON_DEPTH)}`);
  });

  it('cuts long text at maxChars with …, without writing the rest', () => {
    const wide = new Array(500_000).fill(0);
    const text = boundedJson(wide, 20);
    expect(text).toBe(`${'[0,0,0,0,0,0,0,0,0,0'}…`);
  });

  it('leaves out what JSON.stringify leaves out of an object', () => {
    expect(boundedJson({ a: undefined, b: 1 }, 100)).toBe('{"b":1}');
  });
});

describe('nestedDeeperThan', () => {
  it('counts nested objects and arrays, not scalars', () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan(deepObject(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestedDeeperThan(deepObject(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestedDeeperThan([1, [2, [3]]], 2)).toBe(true);
    expect(nestedDeeperThan([1, [2, [3]]], 3)).toBe(false);
  });

  it('answers for a 100 000-deep value without running out of stack', () => {
    expect(nestedDeeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), MAX_JSON_DEPTH)).toBe(true);
  });
});

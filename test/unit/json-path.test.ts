import { describe, expect, it } from 'vitest';
import { compileJsonPath, JsonPathError, select, selectAll } from '../../src/util/json-path.js';

const doc = { users: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], 'odd-key': { 'x/y': 3 }, empty: null };

describe('JSON paths', () => {
  it('selects by JSONPath', () => {
    expect(select(compileJsonPath('$.users[1].name'), doc)).toEqual({ found: true, value: 'b' });
    expect(select(compileJsonPath('$.users[-1].id'), doc)).toEqual({ found: true, value: 2 });
    expect(select(compileJsonPath("$['odd-key']"), doc).value).toEqual({ 'x/y': 3 });
    expect(select(compileJsonPath('$.users.length'), doc).value).toBe(2);
    expect(select(compileJsonPath('$'), doc).value).toBe(doc);
  });
  it('selects several values with a wildcard', () => {
    expect(select(compileJsonPath('$.users[*].id'), doc)).toEqual({ found: true, value: [1, 2] });
    expect(selectAll(compileJsonPath('$.users.*.name'), doc)).toEqual(['a', 'b']);
  });
  it('selects by JSON Pointer, with escapes', () => {
    expect(select(compileJsonPath('/users/0/id'), doc).value).toBe(1);
    expect(select(compileJsonPath('/odd-key/x~1y'), doc).value).toBe(3);
  });
  it('tells a null value from a missing one', () => {
    expect(select(compileJsonPath('$.empty'), doc)).toEqual({ found: true, value: null });
    expect(select(compileJsonPath('$.missing'), doc)).toEqual({ found: false, value: undefined });
    expect(select(compileJsonPath('$.users[5]'), doc).found).toBe(false);
  });
  it('rejects what it does not support, with the reason', () => {
    expect(() => compileJsonPath('$..id')).toThrow(JsonPathError);
    expect(() => compileJsonPath('$.users[?(@.id>1)]')).toThrow(/bracket/);
    expect(() => compileJsonPath('users.id')).toThrow(/neither/);
  });
});

describe('JSON paths over what a hostile target sends', () => {
  it('selects every item of a 500 000-item array with a wildcard', () => {
    const wide = new Array(500_000).fill(0);
    expect(selectAll(compileJsonPath('$[*]'), wide)).toHaveLength(500_000);
    expect(selectAll(compileJsonPath('$.*'), { items: wide })).toHaveLength(1);
  });
});

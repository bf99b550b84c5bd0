import { isDeepStrictEqual } from 'node:util';
import type { AssertionResult } from '../../results/model.js';
import { compileJsonPath, select } from '../../util/json-path.js';
import type { JsonExpectation } from './spec.js';
import { boundedJson, MATCHED_TEXT_CHARS } from '../../util/bounded-json.js';

/** How much of a value an expectation shows in its result. */
const SHOWN_CHARS = 200;

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

export function show(value: unknown): string {
  return value === undefined ? '(missing)' : boundedJson(value, SHOWN_CHARS);
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (Array.isArray(haystack)) return haystack.some((item) => isDeepStrictEqual(item, needle));
  if (haystack && typeof haystack === 'object') return typeof needle === 'string' && needle in haystack;
  return false;
}

export function checkJson(
  expectations: Record<string, JsonExpectation | string | number | boolean | null>,
  document: unknown,
): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const [path, raw] of Object.entries(expectations)) {
    const expectation: JsonExpectation = raw !== null && typeof raw === 'object' ? raw : { equals: raw };
    const { found, value } = select(compileJsonPath(path), document);
    if (expectation.exists !== undefined) {
      results.push({
        name: `json ${path} ${expectation.exists ? 'exists' : 'does not exist'}`,
        passed: found === expectation.exists,
        expected: expectation.exists ? 'exists' : 'absent',
        actual: found ? show(value) : '(missing)',
      });
    }
    if ('equals' in expectation) {
      results.push({
        name: `json ${path} equals`,
        passed: found && isDeepStrictEqual(value, expectation.equals),
        expected: show(expectation.equals),
        actual: found ? show(value) : '(missing)',
      });
    }
    if (expectation.type !== undefined) {
      results.push({
        name: `json ${path} is ${expectation.type}`,
        passed: found && typeMatches(expectation.type, value),
        expected: expectation.type,
        actual: found ? jsonTypeOf(value) : '(missing)',
      });
    }
    if (expectation.matches !== undefined) {
      const text = typeof value === 'string' ? value : boundedJson(value, MATCHED_TEXT_CHARS);
      results.push({
        name: `json ${path} matches`,
        passed: found && new RegExp(expectation.matches).test(text),
        expected: `/${expectation.matches}/`,
        actual: found ? show(value) : '(missing)',
      });
    }
    if ('contains' in expectation) {
      results.push({
        name: `json ${path} contains`,
        passed: found && contains(value, expectation.contains),
        expected: show(expectation.contains),
        actual: found ? show(value) : '(missing)',
      });
    }
  }
  return results;
}

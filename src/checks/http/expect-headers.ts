import type { AssertionResult } from '../../results/model.js';
import type { HeaderExpectation } from './spec.js';

export function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

export function checkHeaders(
  expectations: Record<string, string | HeaderExpectation>,
  headers: Record<string, string | string[]>,
): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const [name, raw] of Object.entries(expectations)) {
    const expectation: HeaderExpectation = typeof raw === 'string' ? { equals: raw } : raw;
    const actual = headerValue(headers, name);
    const shown = actual === undefined ? '(absent)' : actual;
    if (expectation.present !== undefined) {
      results.push({
        name: `header ${name} ${expectation.present ? 'present' : 'absent'}`,
        passed: (actual !== undefined) === expectation.present,
        expected: expectation.present ? 'present' : 'absent',
        actual: shown,
      });
    }
    if (expectation.absent !== undefined) {
      results.push({
        name: `header ${name} ${expectation.absent ? 'absent' : 'present'}`,
        passed: (actual === undefined) === expectation.absent,
        expected: expectation.absent ? 'absent' : 'present',
        actual: shown,
      });
    }
    if (expectation.equals !== undefined) {
      results.push({ name: `header ${name} equals`, passed: actual === expectation.equals, expected: expectation.equals, actual: shown });
    }
    if (expectation.contains !== undefined) {
      results.push({
        name: `header ${name} contains`,
        passed: actual !== undefined && actual.includes(expectation.contains),
        expected: expectation.contains,
        actual: shown,
      });
    }
    if (expectation.matches !== undefined) {
      results.push({
        name: `header ${name} matches`,
        passed: actual !== undefined && new RegExp(expectation.matches).test(actual),
        expected: `/${expectation.matches}/`,
        actual: shown,
      });
    }
  }
  return results;
}

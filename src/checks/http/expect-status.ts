import type { AssertionResult } from '../../results/model.js';
import type { StatusExpectation } from './spec.js';

function matchesOne(expected: number | string, status: number): boolean {
  if (typeof expected === 'number') return status === expected;
  const cls = /^([1-5])xx$/.exec(expected);
  if (cls) return Math.floor(status / 100) === Number(cls[1]);
  const range = /^(\d{3})-(\d{3})$/.exec(expected);
  if (range) return status >= Number(range[1]) && status <= Number(range[2]);
  return status === Number(expected);
}

export function describeStatus(expected: StatusExpectation): string {
  return Array.isArray(expected) ? expected.join(' or ') : String(expected);
}

export function statusMatches(expected: StatusExpectation, status: number): boolean {
  return (Array.isArray(expected) ? expected : [expected]).some((e) => matchesOne(e, status));
}

export function checkStatus(expected: StatusExpectation, status: number): AssertionResult {
  return { name: 'status', passed: statusMatches(expected, status), expected: describeStatus(expected), actual: String(status) };
}

import type { AssertionResult } from '../../results/model.js';
import type { BodyExpectation } from './spec.js';
import { clip } from '../../util/clip.js';

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function excerpt(text: string, needle?: string): string {
  if (needle) {
    const at = text.indexOf(needle);
    if (at >= 0) return `…${clip(text.slice(Math.max(0, at - 40)), needle.length + 80)}`;
  }
  return clip(text, 200);
}

export function checkBody(expectation: BodyExpectation, body: string): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const needle of list(expectation.contains)) {
    results.push({ name: 'body contains', passed: body.includes(needle), expected: needle, actual: excerpt(body, needle) });
  }
  for (const needle of list(expectation['not-contains'])) {
    results.push({ name: 'body does not contain', passed: !body.includes(needle), expected: `not ${needle}`, actual: excerpt(body, needle) });
  }
  if (expectation.matches !== undefined) {
    results.push({ name: 'body matches', passed: new RegExp(expectation.matches).test(body), expected: `/${expectation.matches}/`, actual: excerpt(body) });
  }
  if (expectation.equals !== undefined) {
    results.push({ name: 'body equals', passed: body === expectation.equals, expected: excerpt(expectation.equals), actual: excerpt(body) });
  }
  return results;
}

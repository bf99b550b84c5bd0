import { isDeepStrictEqual } from 'node:util';
import { boundedJson, MAX_JSON_DEPTH, nestedDeeperThan } from '../../util/bounded-json.js';

/** Enough of a deep value's text to tell two of them apart in practice, without recursing past MAX_JSON_DEPTH. */
const COMPARED_CHARS = 1 << 20;

/**
 * Whether two JSON values from the target are equal. A value nested deeper than MAX_JSON_DEPTH would overflow a
 * recursive comparison: such values are compared by their bounded text instead.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (nestedDeeperThan(a, MAX_JSON_DEPTH) || nestedDeeperThan(b, MAX_JSON_DEPTH)) return boundedJson(a, COMPARED_CHARS) === boundedJson(b, COMPARED_CHARS);
  return isDeepStrictEqual(a, b);
}

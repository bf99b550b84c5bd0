import { boundedJson } from '../../util/bounded-json.js';
import { isJsonObject } from './answer.js';
import { sameJson } from './same-json.js';

/** How much of a value a finding shows. */
const SHOWN_CHARS = 80;
const show = (value: unknown) => (value === undefined ? '(absent)' : boundedJson(value, SHOWN_CHARS));

/** What an update could change that a read shows: the properties it sets, or the whole object. */
export interface Comparison {
  /** The properties compared; empty when the whole body is. */
  properties: string[];
  /** The read shows every property the update sets with the value it would set: a change could not be seen. */
  blind: boolean;
}

/**
 * Which of an update's properties a read can show changing: those of its JSON body that the read before shows. A
 * body that is no JSON object, or sets nothing the read shows, is compared whole.
 */
export function comparisonFor(update: unknown, before: unknown): Comparison {
  if (!isJsonObject(update) || !isJsonObject(before)) return { properties: [], blind: false };
  const properties = Object.keys(update).filter((name) => Object.prototype.hasOwnProperty.call(before, name));
  return { properties, blind: properties.length > 0 && properties.every((name) => sameJson(before[name], update[name])) };
}

/** The differences between two reads of an object (`title: "changed" (was "mine")`), under a comparison. */
export function differences(before: unknown, after: unknown, comparison: Comparison): string[] {
  if (comparison.properties.length === 0 || !isJsonObject(before) || !isJsonObject(after)) {
    return sameJson(before, after) ? [] : [`the object reads ${show(after)} (was ${show(before)})`];
  }
  return comparison.properties.filter((name) => !sameJson(before[name], after[name])).map((name) => `${name}: ${show(after[name])} (was ${show(before[name])})`);
}

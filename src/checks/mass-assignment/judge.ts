import type { AssertionResult } from '../../results/model.js';
import { boundedJson } from '../../util/bounded-json.js';
import { clip } from '../../util/clip.js';
import { isJsonObject } from '../objects/answer.js';
import { precondition } from '../objects/precondition.js';
import { sameJson } from '../objects/same-json.js';
import type { Verdict } from '../objects/verdict.js';

const SHOWN_CHARS = 80;
const show = (value: unknown) => (value === undefined ? '(absent)' : boundedJson(value, SHOWN_CHARS));

/**
 * An accepted create or update with injected properties: passed when the follow-up read shows none of them with
 * the injected value. A property a plain create already stores with that value proves nothing either way.
 */
export function judgeStored(what: string, inject: Record<string, unknown>, baseline: Record<string, unknown>, stored: Record<string, unknown>): Verdict & { notes: string[] } {
  const names = Object.keys(inject);
  const blind = names.filter((name) => sameJson(baseline[name], inject[name]));
  const judged = names.filter((name) => !blind.includes(name));
  const assertions: AssertionResult[] = judged.map((name) => ({
    name: `${name} is not stored`,
    passed: !sameJson(stored[name], inject[name]),
    expected: `not ${show(inject[name])}`,
    actual: show(stored[name]),
  }));
  const notes = blind.length ? [`not judged: a plain create already stores ${blind.map((n) => `${n}: ${show(inject[n])}`).join(', ')}`] : [];
  if (judged.length === 0) {
    return { status: 'errored', message: precondition(`a plain create already stores every injected value (${blind.map((n) => `${n}: ${show(inject[n])}`).join(', ')}): inject values that differ`), assertions, notes };
  }
  const kept = assertions.filter((a) => !a.passed).map((a) => a.name.replace(/ is not stored$/, ''));
  if (kept.length) {
    const shown = kept.map((name) => `${name}: ${show(stored[name])}`).join(', ');
    return { status: 'failed', message: `${what}, and the follow-up read shows ${shown}: ${kept.length > 1 ? 'properties' : 'a property'} the client must not set ${kept.length > 1 ? 'were' : 'was'} stored`, assertions, notes };
  }
  return { status: 'passed', message: `${what}, and the follow-up read shows none of ${judged.join(', ')} with the injected value`, assertions, notes };
}

/** The read's answer carries only properties the schema declares. */
export function judgeDeclared(line: string, read: unknown, declared: string[]): Verdict {
  if (!isJsonObject(read)) return { status: 'errored', message: precondition(`the read ${line} did not answer a JSON object: no properties to compare with declared`), assertions: [] };
  const extra = Object.keys(read).filter((name) => !declared.includes(name));
  const listed = listNames(extra);
  const assertions: AssertionResult[] = [{ name: 'only declared properties', passed: extra.length === 0, expected: listNames(declared) || '(none)', actual: extra.length ? `also ${listed}` : 'none other' }];
  if (extra.length) return { status: 'failed', message: `the read ${line} returns ${extra.length > 1 ? 'properties' : 'a property'} the schema does not declare: ${listed}`, assertions };
  return { status: 'passed', message: `the read ${line} returns only declared properties`, assertions };
}

/** How many property names a message lists before it counts the rest: a target may answer thousands. */
const LISTED_NAMES = 20;

function listNames(names: string[]): string {
  const shown = names.slice(0, LISTED_NAMES).map((name) => clip(name, 60)).join(', ');
  return names.length > LISTED_NAMES ? `${shown} (+${names.length - LISTED_NAMES} more)` : shown;
}

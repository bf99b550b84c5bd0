import type { CheckResult } from '../results/model.js';
import type { BaselineEntry } from './entry.js';
import { checkIdOf } from './match.js';

export interface StalenessContext {
  /** Every check of the loaded scenarios. */
  known: ReadonlySet<string>;
  /** The checks this run was given. */
  ran: ReadonlySet<string>;
  results: CheckResult[];
}

/**
 * Why an entry no longer accepts anything, or undefined while it may: it still matches a failure, or its check
 * was not part of this run, or every result it names was skipped or errored (no telling whether the finding is
 * still there).
 */
export function staleness(entry: BaselineEntry, named: CheckResult[], context: StalenessContext): string | undefined {
  if (named.some((r) => r.status === 'failed')) return undefined;
  const owner = owningCheck(entry.id, context.known);
  if (owner === undefined) return `${entry.id} names no check of the scenarios run (renamed or removed?): correct or remove the entry`;
  if (!context.ran.has(owner)) return undefined;
  if (named.length > 0) {
    return named.every((r) => r.status === 'passed') ? `${entry.id} passed in this run: the finding is gone, so remove the entry` : undefined;
  }
  const checkRan = context.results.some((r) => checkIdOf(r) === owner && (r.status === 'passed' || r.status === 'failed'));
  return checkRan ? `check ${owner} ran but has no case ${entry.id.slice(owner.length + 1)}: correct or remove the entry` : undefined;
}

/** The check an entry's id belongs to: itself, or the longest check id it extends with `.case`. */
function owningCheck(id: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(id)) return id;
  let owner: string | undefined;
  for (const check of known) if (id.startsWith(`${check}.`) && (!owner || check.length > owner.length)) owner = check;
  return owner;
}

import type { CheckOutcome } from '../checks/types.js';
import type { RequestBudget } from '../engine/request-budget.js';
import { formatDuration } from '../util/duration.js';

/** Notes on what the harness did for a check (waits, retries), which every report shows with its results. */
export function withNotes(outcome: CheckOutcome, notes: string[]): CheckOutcome {
  return { ...outcome, evidence: { ...outcome.evidence, notes: [...(outcome.evidence.notes ?? []), ...notes] } };
}

/**
 * Says on the check's results that the target throttled it: on the cases whose exchanges met a 429, or on every
 * case when none of their exchanges shows it (a kind that keeps no exchanges).
 */
export function withThrottleNote(outcomes: CheckOutcome[], throttles: RequestBudget['throttles']): CheckOutcome[] {
  const kept = throttles.met - throttles.retried;
  const note =
    `throttled: ${throttles.met} request(s) answered 429 by the target's rate limit` +
    (throttles.retried ? `; ${throttles.retried} sent again after waiting ${formatDuration(throttles.waitedMs)} in all` : '') +
    (kept ? `; ${kept} kept as answered (see the exchange notes)` : '');
  const touched = (o: CheckOutcome) => (o.evidence.exchanges ?? []).some((e) => e.throttled);
  const any = outcomes.some(touched);
  return outcomes.map((o) => (!any || touched(o) ? withNotes(o, [note]) : o));
}

import { admittedCount, type Observation } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';

/** From the first request handed over to the last answer (ms). */
export function spreadMs(observations: readonly Observation[]): number {
  const start = Math.min(...observations.map((o) => o.sentAt));
  const end = Math.max(...observations.map((o) => o.sentAt + o.latencyMs));
  return Math.round(end - start);
}

/**
 * A fresh client bursts until well past the limit: what it admits is the limit it really enforces. It must be
 * admitted at first (else nothing can be measured). When nothing is refused, the claim that there is no limit is
 * made only after at least 100 requests, or 3 x the limit when that is more.
 */
export async function discovery(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('discovery');
  let burst = await client.burst(run.limit * 2 + 5, { label: 'discovery burst' });
  requireSeen(admittedCount(burst) > 0, `no request of a fresh caller was admitted (${tally(burst)}), so no limit can be measured`, burst);
  const noLimitClaim = Math.max(100, 3 * run.limit);
  if (burst.every((o) => o.admitted) && burst.length < noLimitClaim) {
    burst = [...burst, ...(await client.burst(noLimitClaim - burst.length, { label: 'still no refusal: more, before claiming there is no limit' }))];
  }
  const sent = burst.length;
  const admitted = admittedCount(burst);
  const refused = burst.filter((o) => o.refused).length;
  const other = burst.filter((o) => !o.admitted && !o.refused);
  // Answers that are neither admissions nor refusals (nginx's 503, a deny's 403) may be the limiter's: undeclared,
  // they cannot be counted either way.
  requireSeen(refused > 0 || other.length === 0, `after ${admitted} admitted the target answered ${tally(other)}, not a refusal status (refusedStatus): declare the status if that is the limiter's refusal`, burst);
  const none = `none of ${sent} requests refused in ${spreadMs(burst)} ms: no limit is enforced`;
  const admittedRight = { name: 'admitted in a burst', passed: Math.abs(admitted - run.limit) <= run.tolerance, expected: `${run.limit} (the declared limit, ± ${run.tolerance})`, actual: `${admitted} of ${sent}` };
  const refusedBeyond = { name: 'refused beyond the limit', passed: refused > 0, expected: 'refusals once the limit is used up', actual: refused ? `${refused} refused` : none };
  // With nothing refused, that is the finding; the count admitted only follows from it.
  const assertions = refused ? [admittedRight, refusedBeyond] : [refusedBeyond, admittedRight];
  return judged(assertions, sampleExchanges(burst), `a burst of ${sent} admitted ${admitted}, the declared limit ${run.limit}, and refused ${refused}`, {
    data: { sent, admitted, refused, spreadMs: spreadMs(burst), otherStatuses: other.map((o) => o.status) },
  });
}

import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited, tally } from './precondition.js';
import { exhaustQuota } from './exhaust.js';

/** Isolation: exhausting client A leaves client B's quota whole (B bursts right after A is refused). */
export async function isolation(run: ProbeRun): Promise<ProbeResult> {
  if (run.keyedOn === 'global') return skipped('the policy is global (keyedOn: global): there is no per-client quota to isolate');
  const a = await run.session.freshClient('isolation A');
  const b = await run.session.freshClient('isolation B', { distinctFrom: [a] });
  const exhausted = await exhaustQuota(a, run.limit + 2, 'exhaust A');
  requireLimited(exhausted, 'client A');
  const burstB = await b.burst(run.limit, { label: 'B right after' });
  const admittedB = admittedCount(burstB);
  return judged(
    [{ name: `with A (${a.name}) refused, B's (${b.name}) quota`, passed: admittedB >= run.limit - run.tolerance, expected: `${run.limit} admitted`, actual: `${admittedB} admitted (${tally(burstB)})` }],
    sampleExchanges([...exhausted, ...burstB]),
    `with A (${a.name}) refused, B (${b.name}) still had its whole quota: ${admittedB} admitted`,
  );
}

import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { MAX_BURST } from '../../../engine/burst.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';

/**
 * Concurrency: many simultaneous requests, each on its own connection (as many clients of one key would send
 * them), admit no more than the limit. A check-then-increment race, or a count kept per server process behind a
 * load balancer, lets more through.
 */
export async function concurrency(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('concurrency');
  // 3 x the limit up to 300; beyond, enough to exceed the limit clearly, but never more than a burst carries.
  const count = Math.min(MAX_BURST, 3 * run.limit <= 300 ? 3 * run.limit : Math.max(300, run.limit + run.tolerance + 50));
  if (count <= run.limit + run.tolerance) return skipped(`a limit of ${run.limit} cannot be exceeded by the ${MAX_BURST} simultaneous requests a burst carries`);
  const burst = await client.burst(count, { connections: 'many', label: 'simultaneous, one connection each' });
  const admitted = admittedCount(burst);
  // Admitting nothing is no proof that simultaneous requests are counted right.
  requireSeen(admitted > 0, `none of ${count} simultaneous requests was admitted (${tally(burst)})`, burst);
  return judged(
    [{ name: 'admitted of simultaneous requests', passed: admitted <= run.limit + run.tolerance, expected: `<= ${run.limit}`, actual: `${admitted} of ${count}` }],
    sampleExchanges(burst),
    `${count} simultaneous requests on separate connections admitted ${admitted} (limit ${run.limit})`,
    { data: { sent: count, admitted } },
  );
}

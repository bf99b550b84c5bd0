import type { RefillChart } from '../../../results/charts.js';
import { LimiterModel } from '../../../reference/limiters/algorithms/index.js';
import { admittedCount, type Observation } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited } from './precondition.js';

/**
 * Refill curve: exhaust a fresh client, wait d, burst `limit` again, for several d; each burst exhausts it anew.
 * The admitted(d) curve is kept for the report (token buckets refill gradually, windows all at once), beside what the
 * declared algorithm would have admitted. It fails only
 * if a burst admits more than the limit: no algorithm lets one burst through beyond its quota.
 */
export async function refill(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('refill');
  let last = await client.burst(run.limit + 2, { label: 'exhaust' });
  // A refill can only be measured from an exhausted quota.
  requireLimited(last, 'the exhausting burst');
  const points: RefillChart['points'] = [{ waitMs: 0, admitted: 0 }];
  const all = [...last];
  const bursts: Observation[][] = [];
  for (const fraction of [...run.refillAt].sort((a, b) => a - b)) {
    const waitMs = Math.round(fraction * run.windowMs);
    const end = Math.max(...last.map((o) => o.sentAt + o.latencyMs));
    last = await client.burst(run.limit, { at: end + waitMs, label: `after ${waitMs} ms` });
    points.push({ waitMs, admitted: admittedCount(last) });
    bursts.push(last);
    all.push(...last);
  }
  if (run.algorithm) addModel(points, all, bursts, run);
  const worst = Math.max(...points.map((p) => p.admitted));
  const chart: RefillChart = { type: 'refill', title: `admitted in a burst of ${run.limit} after waiting d since exhaustion`, limit: run.limit, points };
  return judged(
    [{ name: 'largest burst admitted', passed: worst <= run.limit + run.tolerance, expected: `<= ${run.limit}`, actual: String(worst) }],
    sampleExchanges(all),
    `refill curve: ${points.map((p) => `${p.admitted} after ${p.waitMs} ms`).join(', ')}`,
    { charts: [chart], data: { points } },
  );
}

/** What the declared algorithm would have admitted in each burst, replaying the same requests at the same times. */
function addModel(points: RefillChart['points'], all: Observation[], bursts: Observation[][], run: ProbeRun): void {
  const model = new LimiterModel({ algorithm: run.algorithm!, policies: [{ limit: run.limit, windowMs: run.windowMs }] });
  const predicted = new Map(all.map((o) => [o, model.consumeAt(o.arrivedAt, 'client').allowed]));
  points[0]!.expected = 0;
  bursts.forEach((burst, i) => (points[i + 1]!.expected = burst.filter((o) => predicted.get(o)).length));
}

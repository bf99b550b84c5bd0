import type { RefillChart } from '../../../results/charts.js';
import { LimiterModel } from '../../../reference/limiters/algorithms/index.js';
import { admittedCount, type Observation } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited } from './precondition.js';
import { exhaustQuota } from './exhaust.js';

/**
 * Refill curve: exhaust a fresh client, wait d, burst more than the limit again, for several d; each burst exhausts
 * it anew. The admitted(d) curve is kept for the report (token buckets refill gradually, windows all at once),
 * beside what the declared algorithm would have admitted. It fails if a burst admits more than the limit (no
 * algorithm lets one burst through beyond its quota), or if nothing came back after a whole window (a client that
 * stopped is never let in again), unless the policy declares a longer recovery.
 */
export async function refill(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('refill');
  const size = run.limit + run.tolerance + 2;
  let last = await exhaustQuota(client, size, 'exhaust');
  // A refill can only be measured from an exhausted quota.
  requireLimited(last, 'the exhausting burst');
  const exhaustedAt = Math.max(...last.map((o) => o.sentAt + o.latencyMs));
  const points: RefillChart['points'] = [{ waitMs: 0, admitted: 0 }];
  const all = [...last];
  const bursts: Observation[][] = [];
  for (const fraction of [...run.refillAt].sort((a, b) => a - b)) {
    const waitMs = Math.round(fraction * run.windowMs);
    const end = Math.max(...last.map((o) => o.sentAt + o.latencyMs));
    last = await client.burst(size, { at: end + waitMs, label: `after ${waitMs} ms` });
    points.push({ waitMs, admitted: admittedCount(last) });
    bursts.push(last);
    all.push(...last);
  }
  if (run.algorithm) addModel(points, all, bursts, run);
  const worst = Math.max(...points.map((p) => p.admitted));
  const assertions = [{ name: 'largest burst admitted', passed: worst <= run.limit + run.tolerance, expected: `<= ${run.limit} of ${size}`, actual: String(worst) }];
  const notes: string[] = [];
  const longest = points.at(-1)!;
  const sinceExhausted = Math.round(bursts.at(-1)![0]!.sentAt - exhaustedAt);
  if (longest.waitMs >= run.windowMs && run.session.policy.recoveryMs <= sinceExhausted + run.windowMs) {
    assertions.push({ name: 'quota back after a whole window', passed: longest.admitted > 0, expected: `some admitted after waiting ${longest.waitMs} ms`, actual: longest.admitted ? `${longest.admitted} admitted` : `none admitted, ${sinceExhausted} ms after the quota was spent: the client is locked out` });
  } else {
    notes.push(`whether the quota comes back was not judged: the longest wait (${longest.waitMs} ms) is shorter than a window, or the declared recovery is longer`);
  }
  const chart: RefillChart = { type: 'refill', title: `admitted in a burst of ${size} after waiting d since exhaustion`, limit: run.limit, points };
  return judged(assertions, sampleExchanges(all), `refill curve: ${points.map((p) => `${p.admitted} after ${p.waitMs} ms`).join(', ')}`, { charts: [chart], data: { points, burst: size }, notes });
}

/** What the declared algorithm would have admitted in each burst, replaying the same requests at the same times. */
function addModel(points: RefillChart['points'], all: Observation[], bursts: Observation[][], run: ProbeRun): void {
  const model = new LimiterModel({ algorithm: run.algorithm!, policies: [{ limit: run.limit, windowMs: run.windowMs }] });
  const predicted = new Map(all.map((o) => [o, model.consumeAt(o.arrivedAt, 'client').allowed]));
  points[0]!.expected = 0;
  bursts.forEach((burst, i) => (points[i + 1]!.expected = burst.filter((o) => predicted.get(o)).length));
}

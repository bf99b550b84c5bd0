import type { RefillChart } from '../../../results/charts.js';
import { admittedCount } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';

/**
 * Refill curve: exhaust a fresh client, wait d, burst `limit` again, for several d; each burst exhausts it anew.
 * The admitted(d) curve is kept for the report (token buckets refill gradually, windows all at once). It fails only
 * if a burst admits more than the limit: no algorithm lets one burst through beyond its quota.
 */
export async function refill(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('refill');
  let last = await client.burst(run.limit + 2, { label: 'exhaust' });
  const points: RefillChart['points'] = [{ waitMs: 0, admitted: 0 }];
  const all = [...last];
  for (const fraction of [...run.refillAt].sort((a, b) => a - b)) {
    const waitMs = Math.round(fraction * run.windowMs);
    const end = Math.max(...last.map((o) => o.sentAt + o.latencyMs));
    last = await client.burst(run.limit, { at: end + waitMs, label: `after ${waitMs} ms` });
    points.push({ waitMs, admitted: admittedCount(last) });
    all.push(...last);
  }
  const worst = Math.max(...points.map((p) => p.admitted));
  const chart: RefillChart = { type: 'refill', title: `admitted in a burst of ${run.limit} after waiting d since exhaustion`, limit: run.limit, points };
  return judged(
    [{ name: 'largest burst admitted', passed: worst <= run.limit + run.tolerance, expected: `<= ${run.limit}`, actual: String(worst) }],
    sampleExchanges(all),
    `refill curve: ${points.map((p) => `${p.admitted} after ${p.waitMs} ms`).join(', ')}`,
    { charts: [chart], data: { points } },
  );
}

import type { BoundaryChart } from '../../../results/charts.js';
import { wallClockMs } from '../../../engine/wall-clock.js';
import { admittedCount, maxAdmittedInWindow, type Observation } from '../observation.js';
import { sampleExchanges, type ProbeClient } from '../session.js';
import { isFixedWindow, judged, type ProbeResult, type ProbeRun } from './context.js';

/**
 * Where a window edge falls: a fresh client spends exactly its quota (nothing refused), stays quiet half a window,
 * then polls until it is admitted again; for a fixed window that is where a window starts, so the next edge is one
 * window later. If the quota never comes back while polling (a limiter that counts refusals locks a polling client
 * out; the refused-counted probe judges that), a window anchored at the first request is assumed instead, on a
 * fresh client.
 */
async function findEdge(run: ProbeRun): Promise<{ client: ProbeClient; edge: number; seen: Observation[]; note?: string }> {
  const { limit, windowMs } = run;
  const client = await run.session.freshClient('boundary');
  const spent = await client.burst(limit, { label: 'spend the quota' });
  await run.session.sleepUntil(spent[0]!.sentAt + windowMs / 2);
  const pollEvery = Math.max(10, windowMs / 50);
  const giveUpAt = spent[0]!.sentAt + 2 * windowMs;
  while (wallClockMs() < giveUpAt) {
    const o = await client.one('poll for the reopening');
    if (o.admitted) return { client, edge: o.sentAt + windowMs, seen: [o] };
    await run.session.sleepUntil(Math.min(giveUpAt, wallClockMs() + pollEvery));
  }
  const fresh = await run.session.freshClient('boundary (anchored)');
  const first = await fresh.burst(limit, { label: 'spend the quota' });
  return { client: fresh, edge: first[0]!.sentAt + windowMs, seen: first, note: `the quota did not come back within ${2 * windowMs} ms of polling, so the edge was taken one window after the first request` };
}

/**
 * Window boundary: `limit` requests just before a window edge and `limit` just after it. A sliding algorithm admits
 * about `limit` in any interval of one window; a fixed window admits up to twice that across the edge, which is a
 * finding unless the target declares a fixed window.
 */
export async function boundary(run: ProbeRun): Promise<ProbeResult> {
  const { limit, windowMs } = run;
  const { client, edge, seen, note } = await findEdge(run);
  const delta = Math.max(25, windowMs / 40);
  const before = await client.burst(limit, { at: edge - delta, label: 'just before the boundary' });
  const after = await client.burst(limit, { at: edge + delta, label: 'just after the boundary' });
  const all = [...seen, ...before, ...after];
  const most = maxAdmittedInWindow(all, windowMs);
  const allowed = isFixedWindow(run.algorithm) ? 2 * limit : limit;
  // The chart shows the two bursts and the edge between them, with room either side.
  const origin = before[0]!.sentAt - 2 * delta;
  const chart: BoundaryChart = {
    type: 'boundary',
    title: `${limit} requests just before and just after a window boundary (window ${windowMs} ms)`,
    windowMs,
    limit,
    boundaryAtMs: edge - origin,
    arrivals: all.filter((o) => o.arrivedAt >= origin).map((o) => ({ atMs: o.arrivedAt - origin, admitted: o.admitted })),
  };
  const ratio = most.count / limit;
  return judged(
    [
      {
        name: 'most admitted in any window',
        passed: most.count <= allowed + run.tolerance,
        expected: `<= ${allowed}${isFixedWindow(run.algorithm) ? ' (a declared fixed window)' : ''}`,
        actual: `${most.count} (${ratio.toFixed(2)}x the limit${ratio >= 1.5 ? ': a fixed window' : ''})`,
      },
    ],
    sampleExchanges([...before, ...after]),
    `at most ${most.count} admitted in any ${windowMs} ms across the boundary (${admittedCount(before)} before, ${admittedCount(after)} after; ${ratio.toFixed(2)}x the limit)`,
    { charts: [chart], data: { admittedBefore: admittedCount(before), admittedAfter: admittedCount(after), maxInWindow: most.count, ratio, deltaMs: delta }, notes: note ? [note] : [] },
  );
}

import type { BoundaryChart } from '../../../results/charts.js';
import { wallClockMs } from '../../../engine/wall-clock.js';
import { admittedCount, maxAdmittedInWindow, type Observation } from '../observation.js';
import { sampleExchanges, type ProbeClient } from '../session.js';
import { isFixedWindow, judged, type ProbeResult, type ProbeRun } from './context.js';
import { PreconditionUnmet, requireSeen, tally } from './precondition.js';

/** Where the next window edge lies: not before `low`, not after `high` (our uncertainty about when it reopened). */
interface Edge {
  client: ProbeClient;
  low: number;
  high: number;
  /** Admitted requests of the last window before the edge that the judgement counts with the two bursts. */
  counted: Observation[];
  /** Whether the first poll was admitted, so the reopened window's quota was spent to find its end. */
  respent: boolean;
  notes: string[];
  /** Every request sent to find it. */
  seen: Observation[];
}

/**
 * Where a window edge falls: a fresh client spends exactly its quota (nothing refused), stays quiet half a window,
 * then polls until it is admitted again; for a fixed window that is where a window starts, so the next edge is one
 * window later, somewhere between the last refused poll's earliest arrival and the admitted poll's latest decision,
 * each plus a window. An admitted first poll leaves that open (the window reopened at some point in the quiet half):
 * the client then spends the new window's quota and polls again, once; admitted at once again, there is no edge
 * (a queue or a bucket admits as room frees) and that poll stands in for one. If the quota never comes back while
 * polling (a limiter that counts refusals locks a polling client out; the refused-counted probe judges that), a
 * window anchored at the first request is assumed instead, on a fresh client.
 */
async function findEdge(run: ProbeRun): Promise<Edge> {
  const { limit, windowMs } = run;
  const client = await run.session.freshClient('boundary');
  const spent = await client.burst(limit, { label: 'spend the quota' });
  const seen = [...spent];
  requireSeen(admittedCount(spent) > 0, `no request of a fresh caller was admitted (${tally(spent)}), so there is no quota whose window could be found`, spent);
  await run.session.sleepUntil(spent[0]!.sentAt + windowMs / 2);
  const pollEvery = Math.max(10, windowMs / 50);
  // Wider than this, the two bursts would be too far apart to tell a fixed window from a sliding one.
  const widest = Math.max(4 * pollEvery, windowMs / 10);
  let giveUpAt = spent[0]!.sentAt + 2 * windowMs;
  let refused: Observation | undefined;
  let respent = false;
  while (wallClockMs() < giveUpAt) {
    const o = await client.one('poll for the reopening');
    seen.push(o);
    if (!o.admitted) {
      refused = o;
    } else if (refused && o.servedAt - refused.arrivedAt <= widest) {
      return { client, low: refused.arrivedAt + windowMs, high: o.servedAt + windowMs, counted: [o], respent, notes: [], seen };
    } else if (!respent) {
      respent = true;
      refused = undefined;
      if (limit > 1) seen.push(...(await client.burst(limit - 1, { label: 'spend the reopened quota' })));
      giveUpAt = wallClockMs() + 2 * windowMs;
      continue;
    } else if (refused) {
      const note = `the window reopened somewhere in ${Math.round(o.servedAt - refused.arrivedAt)} ms (polls came late), so the bursts are that much further apart`;
      return { client, low: refused.arrivedAt + windowMs, high: o.servedAt + windowMs, counted: [o], respent, notes: [note], seen };
    } else {
      const note = 'the first poll after the quota was spent again was admitted too: no window edge to find (a queue or bucket admits as room frees), so the bursts straddle one window after that poll';
      return { client, low: o.servedAt + windowMs, high: o.servedAt + windowMs, counted: [o], respent, notes: [note], seen };
    }
    await run.session.sleepUntil(Math.min(giveUpAt, wallClockMs() + pollEvery));
  }
  const fresh = await run.session.freshClient('boundary (anchored)');
  const first = await fresh.burst(limit, { label: 'spend the quota' });
  const edge = first[0]!.sentAt + windowMs;
  return { client: fresh, low: edge, high: edge, counted: first, respent, notes: [`the quota did not come back within ${2 * windowMs} ms of polling, so the edge was taken one window after the first request`], seen: [...seen, ...first] };
}

/**
 * Window boundary: `limit` requests just before a window edge and `limit` just after it. A sliding algorithm admits
 * about `limit` in any interval of one window; a fixed window admits up to twice that across the edge, which is a
 * finding unless the target declares a fixed window.
 */
export async function boundary(run: ProbeRun): Promise<ProbeResult> {
  const edge = await findEdge(run);
  try {
    return await straddle(run, edge);
  } catch (error) {
    // How the edge was found (or assumed) explains why the bursts could not conclude.
    if (error instanceof PreconditionUnmet) error.evidence.notes = [...(error.evidence.notes ?? []), ...edge.notes];
    throw error;
  }
}

async function straddle(run: ProbeRun, edge: Edge): Promise<ProbeResult> {
  const { limit, windowMs } = run;
  const { client, low, high, counted, respent, notes, seen } = edge;
  const delta = Math.max(25, windowMs / 40);
  const before = await client.burst(limit, { at: low - delta, label: 'just before the boundary' });
  const after = await client.burst(limit, { at: high + delta, label: 'just after the boundary' });
  const all = [...counted, ...before, ...after];
  const everything = [...seen, ...before, ...after];
  // A target that admits nothing, or never refuses, shows no window at all: nothing here could exceed a limit.
  requireSeen(everything.some((o) => o.refused), `no request of the probe was refused (${tally(everything)}): without a refusal there is no window edge to straddle`, everything);
  // The window before the edge must have admitted something, or the probe saw a client already limited, not an
  // edge; and the bursts must have admitted something between them (one of them may rightly admit nothing: a
  // sliding window or a bucket gives nothing back at an edge), or the client was locked out across it.
  requireSeen(admittedCount([...counted, ...before]) > 0, `nothing was admitted in the window before the edge (${tally(before)} just before it): the caller had no quota there, so no window edge was straddled`, before);
  requireSeen(admittedCount([...before, ...after]) > 0, `nothing was admitted by the bursts either side of the edge (${tally([...before, ...after])}): the caller was limited throughout, so no window edge was straddled`, [...before, ...after]);
  const most = maxAdmittedInWindow(all, windowMs);
  // A bucket regains quota while it waits: whatever it could regain between the two bursts (2 x delta, or more if
  // the second went out late on a busy machine) is not a boundary finding.
  const gapMs = Math.max(0, Math.min(...after.map((o) => o.arrivedAt)) - Math.max(...before.map((o) => o.arrivedAt)));
  const regained = Math.floor((limit * gapMs) / windowMs);
  const allowed = isFixedWindow(run.algorithm) ? 2 * limit : limit + regained;
  // The chart shows the two bursts and the edge between them, with room either side.
  const origin = before[0]!.sentAt - 2 * delta;
  const chart: BoundaryChart = {
    type: 'boundary',
    title: `${limit} requests just before and just after a window boundary (window ${windowMs} ms)`,
    windowMs,
    limit,
    boundaryAtMs: (low + high) / 2 - origin,
    arrivals: all.filter((o) => o.arrivedAt >= origin).map((o) => ({ atMs: o.arrivedAt - origin, admitted: o.admitted })),
  };
  const ratio = most.count / limit;
  const passes = most.count <= allowed + run.tolerance;
  // A pass needs the bursts on either side of the edge; a finding stands wherever they fell (it is counted safely).
  const lateBefore = Math.max(...before.map((o) => o.arrivedAt)) - low;
  const earlyAfter = high - Math.min(...after.map((o) => o.arrivedAt));
  requireSeen(!passes || lateBefore < 0, `the burst meant for just before the edge reached the target up to ${Math.round(lateBefore)} ms after the edge's earliest moment (sent late: a busy machine), so it may not have been in the old window`, before);
  requireSeen(!passes || earlyAfter < 0, `the burst meant for just after the edge reached the target up to ${Math.round(earlyAfter)} ms before the edge's latest moment, so it may not have been in the new window`, after);
  return judged(
    [
      {
        name: 'most admitted in any window',
        passed: passes,
        expected: `<= ${allowed}${isFixedWindow(run.algorithm) ? ' (a declared fixed window)' : regained ? ` (the limit, + ${regained} regained in the ${Math.round(gapMs)} ms between the bursts)` : ''}`,
        actual: `${most.count} (${ratio.toFixed(2)}x the limit${ratio >= 1.5 ? ': a fixed window' : ''})`,
      },
    ],
    sampleExchanges([...before, ...after]),
    `at most ${most.count} admitted in any ${windowMs} ms across the boundary (${admittedCount(before)} before, ${admittedCount(after)} after; ${ratio.toFixed(2)}x the limit)`,
    { charts: [chart], data: { admittedBefore: admittedCount(before), admittedAfter: admittedCount(after), maxInWindow: most.count, ratio, deltaMs: delta, gapMs, edgeUncertaintyMs: high - low, respent }, notes },
  );
}

import { wallClockMs } from '../../../engine/wall-clock.js';
import type { Observation } from '../observation.js';
import type { ProbeClient } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited, requireSeen } from './precondition.js';

/** Exhausting bursts tried before the hammering client is refused on its first retry. */
const EXHAUST_ATTEMPTS = 3;
/** How long after the exhausting burst left its first retry goes (the burst has reached the target by then). */
const RETRY_AFTER_BURST_MS = 20;

/** Sends one request every `everyMs` until one is admitted or `untilMs` passes; returns when (after `from`). */
async function firstAdmission(run: ProbeRun, client: ProbeClient, from: number, everyMs: number, untilMs: number, label: string): Promise<{ afterMs?: number; tries: Observation[] }> {
  const tries: Observation[] = [];
  while (wallClockMs() < from + untilMs) {
    const o = await client.one(label);
    tries.push(o);
    if (o.admitted) return { afterMs: o.sentAt - from, tries };
    await run.session.sleepUntil(Math.min(from + untilMs, wallClockMs() + everyMs));
  }
  return { tries };
}

/**
 * Exhausts the hammering client and retries at twice the allowed rate from shortly after the burst left, without
 * waiting for its answers: a queue answers the requests it admitted only as it drains, and by then it has room.
 */
async function exhaustAndRetry(run: ProbeRun, hammer: ProbeClient, bound: number): Promise<[Observation[], { afterMs?: number; tries: Observation[] }]> {
  const from = wallClockMs();
  const exhausting = hammer.burst(run.limit + 2, { label: 'exhaust (hammering client)' });
  const retrying = run.session
    .sleepUntil(from + Math.max(RETRY_AFTER_BURST_MS, 4 * run.session.oneWayMs()))
    .then(() => firstAdmission(run, hammer, from, run.windowMs / (2 * run.limit), bound, 'hammering client retries'));
  const [burst, retries] = await Promise.allSettled([exhausting, retrying]);
  if (burst.status === 'rejected') throw burst.reason;
  if (retries.status === 'rejected') throw retries.reason;
  return [burst.value, retries.value];
}

/**
 * Refused requests counted: one client keeps retrying while limited (twice the allowed rate), another stays quiet
 * for a window and then retries gently. When refusals do not count, both get in after about a window; when they
 * do, the hammering client locks itself out.
 */
export async function refusedCounted(run: ProbeRun): Promise<ProbeResult> {
  const { limit, windowMs } = run;
  const bound = 3 * windowMs;
  const quiet = await run.session.freshClient('quiet client');
  const quietBurst = await quiet.burst(limit + 2, { label: 'exhaust (quiet client)' });
  requireLimited(quietBurst, 'the quiet client');
  const quietFrom = Math.max(...quietBurst.map((o) => o.sentAt));
  await run.session.sleepUntil(quietFrom + windowMs * 0.9);
  const quietResult = await firstAdmission(run, quiet, quietFrom, windowMs / 10, bound, 'quiet client retries');

  const hammer = await run.session.freshClient('hammering client');
  let hammerResult: { afterMs?: number; tries: Observation[] } = { tries: [] };
  // Retrying proves something only while refused: a bucket that let the first retry in is exhausted again.
  for (let attempt = 0; attempt < EXHAUST_ATTEMPTS && !hammerResult.tries[0]?.refused; attempt++) {
    const [hammerBurst, result] = await exhaustAndRetry(run, hammer, bound);
    if (attempt === 0) requireLimited(hammerBurst, 'the hammering client');
    hammerResult = result;
  }
  requireSeen(hammerResult.tries[0]!.refused, `the hammering client's first retry was admitted after each of ${EXHAUST_ATTEMPTS} exhausting bursts, so it never retried while refused`, hammerResult.tries);

  const quietMs = quietResult.afterMs;
  const slack = Math.max(windowMs / 2, 250);
  const shown = (ms: number | undefined) => (ms === undefined ? `not within ${bound} ms` : `${Math.round(ms)} ms`);
  return judged(
    [
      { name: 'quiet client admitted again', passed: quietMs !== undefined, expected: `within ${bound} ms`, actual: shown(quietMs) },
      {
        name: 'hammering client admitted again',
        passed: hammerResult.afterMs !== undefined && hammerResult.afterMs <= (quietMs ?? windowMs) + slack,
        expected: `about when the quiet one was (${shown(quietMs)}, + ${slack} ms)`,
        actual: `${shown(hammerResult.afterMs)} after ${hammerResult.tries.filter((o) => !o.admitted).length} refused retries`,
      },
    ],
    [quietResult.tries.at(-1)!.exchange, hammerResult.tries.at(-1)!.exchange],
    `refused requests do not count: retrying while limited (${hammerResult.tries.filter((o) => !o.admitted).length} refused) got in after ${shown(hammerResult.afterMs)}, staying quiet after ${shown(quietMs)}`,
    { data: { quietRecoveryMs: quietMs, hammerRecoveryMs: hammerResult.afterMs, hammerTries: hammerResult.tries.length } },
  );
}

import { wallClockMs } from '../../../engine/wall-clock.js';
import type { Observation } from '../observation.js';
import type { ProbeClient } from '../session.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited } from './precondition.js';

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
  const hammerBurst = await hammer.burst(limit + 2, { label: 'exhaust (hammering client)' });
  requireLimited(hammerBurst, 'the hammering client');
  const hammerFrom = Math.max(...hammerBurst.map((o) => o.sentAt));
  const hammerResult = await firstAdmission(run, hammer, hammerFrom, windowMs / (2 * limit), bound, 'hammering client retries');

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
        actual: `${shown(hammerResult.afterMs)} after ${hammerResult.tries.length} refused retries`,
      },
    ],
    [quietResult.tries.at(-1)!.exchange, hammerResult.tries.at(-1)!.exchange],
    `refused requests do not count: retrying while limited (${hammerResult.tries.length} tries) got in after ${shown(hammerResult.afterMs)}, staying quiet after ${shown(quietMs)}`,
    { data: { quietRecoveryMs: quietMs, hammerRecoveryMs: hammerResult.afterMs, hammerTries: hammerResult.tries.length } },
  );
}

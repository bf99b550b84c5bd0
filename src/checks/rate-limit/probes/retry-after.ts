import { wallClockMs } from '../../../engine/wall-clock.js';
import type { AssertionResult } from '../../../results/model.js';
import type { Observation } from '../observation.js';
import type { ProbeClient } from '../session.js';
import { clip } from '../../../util/clip.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';
import { exhaustQuota } from './exhaust.js';

const MARGIN_MS = 100;

/** Exhausts a fresh client and returns its last refusal (a refusedStatus answer: the one to read Retry-After from). */
async function exhaust(client: ProbeClient, run: ProbeRun): Promise<Observation> {
  const burst = await exhaustQuota(client, run.limit + Math.ceil(run.limit / 2) + 2, 'exhaust');
  requireSeen(burst.some((o) => o.admitted), `no request of a fresh caller was admitted (${tally(burst)})`, burst);
  const refusal = [...burst].reverse().find((o) => o.refused);
  const others = burst.filter((o) => !o.admitted);
  requireSeen(
    refusal !== undefined,
    others.length
      ? `once the quota was spent the target answered ${tally(others)}, not a refusal status (refusedStatus): declare the status if that is the limiter's refusal`
      : `${burst.length} requests in two bursts were admitted whole, so there was no refusal to read Retry-After from (the discovery probe judges whether a limit is enforced)`,
    burst,
  );
  return refusal!;
}

/** What the Retry-After of a refusal says, in words, when it is not a usable number of seconds. */
function retryAfterText(refusal: Observation): string {
  const raw = refusal.exchange.response?.headers['retry-after'];
  if (raw === undefined) return '(absent)';
  return `present but unparseable: ${clip(Array.isArray(raw) ? raw.join(', ') : raw, 60)}`;
}

/**
 * 429 semantics: the refusal is a 429 (nginx answers 503 by default), it says Retry-After, a retry when it says
 * is admitted, and a retry a second earlier (Retry-After has whole seconds) is still refused. The two retries use
 * two fresh clients, so the early one cannot change what the late one finds.
 */
export async function retryAfter(run: ProbeRun): Promise<ProbeResult> {
  const assertions: AssertionResult[] = [];
  const late = await run.session.freshClient('retry after Retry-After');
  const refusal = await exhaust(late, run);
  const status = refusal.status;
  assertions.push({ name: 'refusal status', passed: status === 429, expected: '429 Too Many Requests', actual: `${status}${status === 503 ? ' (nginx limit_req answers 503 unless limit_req_status 429)' : ''}` });
  const seconds = refusal.headers.retryAfterSec;
  assertions.push({ name: 'Retry-After', passed: seconds !== undefined, expected: 'present, in seconds or as a date', actual: seconds === undefined ? retryAfterText(refusal) : `${seconds}s` });
  const exchanges = [refusal.exchange];
  if (seconds === undefined) {
    const result = judged(assertions, exchanges, '');
    // RFC 6585 lets a 429 leave Retry-After out: clients then guess when to come back, a low finding on its own.
    const onlyAbsent = status === 429 && refusal.exchange.response?.headers['retry-after'] === undefined;
    return onlyAbsent ? { ...result, severity: 'low', evidence: { ...result.evidence, notes: ['a 429 MAY carry Retry-After (RFC 6585): without it a client can only guess when to retry, so this is a low finding unless severities says otherwise'] } } : result;
  }
  // The declared policy gives the quota back within its recovery time: a longer wait is untrue, and too long to test.
  const longest = Math.ceil((run.session.policy.recoveryMs + run.windowMs) / 1000);
  if (seconds > longest) {
    assertions.push({ name: 'Retry-After within the policy', passed: false, expected: `at most ${longest}s (the declared ${run.policy.described}: the quota is whole again within ${Math.ceil(run.session.policy.recoveryMs / 1000)}s)`, actual: `${seconds}s` });
    return judged(assertions, exchanges, '', { notes: [`not waited: Retry-After: ${seconds} is longer than the declared policy can need`] });
  }

  // Retry-After counts from when the answer is received (RFC 9110 §10.2.3), as a client waits: a pipelined
  // refusal may be decided long before its answer leaves, behind the requests ahead of it.
  await run.session.sleepUntil(refusal.servedAt + seconds * 1000 + MARGIN_MS);
  const after = await late.one('retry when Retry-After says');
  exchanges.push(after.exchange);
  assertions.push({ name: 'a retry when Retry-After says', passed: after.admitted, expected: 'admitted', actual: String(after.status) });

  const early = await run.session.freshClient('retry before Retry-After');
  const earlyRefusal = await exhaust(early, run);
  const earlySeconds = earlyRefusal.headers.retryAfterSec;
  const notes: string[] = [];
  if (earlySeconds !== undefined && earlySeconds <= longest) {
    // From the earliest moment the target can have decided: whatever it counts from, the quota is not back yet.
    const earlyAt = earlyRefusal.arrivedAt + Math.max(0, earlySeconds * 1000 - 1000 - MARGIN_MS);
    if (earlyAt + MARGIN_MS < wallClockMs()) {
      notes.push(`the refusal came back ${Math.round(wallClockMs() - earlyRefusal.arrivedAt)} ms after the decision, too late to retry a second early`);
    } else {
      await run.session.sleepUntil(earlyAt);
      const before = await early.one('retry a second before Retry-After');
      exchanges.push(before.exchange);
      assertions.push({ name: 'a retry a second early', passed: !before.admitted, expected: 'still refused', actual: String(before.status) });
    }
  }
  const earlyText = assertions.some((a) => a.name === 'a retry a second early') ? ' and one a second earlier refused' : '';
  return judged(assertions, exchanges, `429 with Retry-After: ${seconds}; a retry then was admitted${earlyText}`, { notes });
}

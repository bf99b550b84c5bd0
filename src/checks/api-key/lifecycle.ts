import { setTimeout as sleep } from 'node:timers/promises';
import type { SentRequest } from '../../engine/send.js';
import type { AssertionResult } from '../../results/model.js';
import { formatDuration } from '../../util/duration.js';
import { pollsWithin } from '../bounds.js';
import type { CheckContext, CheckOutcome } from '../types.js';
import type { IssuedKey, KeyAdmin } from './key-admin.js';
import { caseOutcome, errored, is2xx, skipped, statusAssertion, statusOf, type CaseInfo, type KeyProber } from './probe.js';
import type { ApiKeyCase } from './spec.js';

/** The longest a lifecycle case waits on purpose (a grace period, a tolerance, a revocation window). */
export const MAX_LIFECYCLE_WAIT_MS = 60_000;
/** Polls are paced: never closer than this. */
export const MIN_POLL_MS = 10;

export interface LifecycleTiming {
  graceMs?: number;
  graceToleranceMs: number;
  revocationWithinMs: number;
  pollMs: number;
}

export interface LifecycleEnv {
  ctx: CheckContext;
  prober: KeyProber;
  admin?: KeyAdmin;
  /** Why the lifecycle cannot run (no keyManagement section, no admin key). */
  unavailable?: string;
  selected: ReadonlySet<ApiKeyCase>;
  timing: LifecycleTiming;
}

const refused = (status: number | undefined) => status === 401 || status === 403;

/** The lifecycle cases, titled with the spec's timing. */
export function lifecycleCaseInfo(timing: LifecycleTiming): Record<'create' | 'rotation' | 'revocation', CaseInfo> {
  return {
    create: { suffix: 'create', title: 'a key created through the admin API works at once and is never listed in plaintext' },
    rotation: { suffix: 'rotation', title: 'a rotated-out key keeps working for the grace period, then stops' },
    revocation: { suffix: 'revocation', title: `a revoked key is refused within ${formatDuration(timing.revocationWithinMs)}` },
  };
}

interface Poll {
  /** When the first refusing answer arrived, in ms after `from` (so it includes that request's round trip). */
  refusedAfterMs?: number;
  sent: SentRequest[];
  last?: SentRequest;
}

/**
 * Probes with `key` until it is refused, the deadline passes, or an answer is neither 2xx nor a refusal. Bounded
 * in time (the deadline) and in count (one probe per poll interval until then, and one more).
 */
async function pollUntilRefused(env: LifecycleEnv, label: string, key: string, from: number, deadline: number): Promise<Poll> {
  const sent: SentRequest[] = [];
  const pollMs = Math.max(MIN_POLL_MS, env.timing.pollMs);
  const maxProbes = pollsWithin(Math.max(0, deadline - performance.now()), pollMs);
  for (let attempt = 1; attempt <= maxProbes; attempt++) {
    const answer = await env.prober.value(`${label} (probe ${attempt})`, key);
    sent.push(answer);
    const status = statusOf(answer);
    if (refused(status)) return { refusedAfterMs: performance.now() - from, sent, last: answer };
    if (!is2xx(status) || env.ctx.signal.aborted) break;
    const now = performance.now();
    if (now >= deadline) break;
    await sleep(Math.min(pollMs, deadline - now), undefined, { signal: env.ctx.signal }).catch(() => undefined);
  }
  return { sent, last: sent.at(-1) };
}

/** First and last polls are enough evidence; the count is in the data. */
const evidenceOf = (poll: Poll) => (poll.sent.length > 2 ? [poll.sent[0]!, poll.sent.at(-1)!] : poll.sent);

/**
 * create -> use -> (list) -> rotate -> the old key works within the grace period and fails after it ->
 * revoke -> refused within the limit, with the measured latency. Keys it creates are revoked at the end.
 */
export async function runLifecycle(env: LifecycleEnv): Promise<CheckOutcome[]> {
  const t = lifecycleCaseInfo(env.timing);
  const wanted = (['create', 'rotation', 'revocation'] as const).filter((c) => env.selected.has(c));
  if (wanted.length === 0) return [];
  if (!env.admin) return wanted.map((c) => skipped(t[c], env.unavailable!));
  const admin = env.admin;
  const outcomes: CheckOutcome[] = [];
  const live: IssuedKey[] = [];

  const created = await admin.call('create');
  const createSent = [created.sent];
  if (!created.issued) {
    const message = `creating a key failed: ${created.problem}`;
    if (env.selected.has('create')) outcomes.push(caseOutcome(t.create, createSent, [{ name: 'create', passed: false, expected: 'a 2xx answer with a key and its id', actual: created.problem }], '', message));
    for (const c of wanted.filter((w) => w !== 'create')) outcomes.push(errored(t[c], `could not run: ${message}`, createSent));
    return outcomes;
  }
  let current = created.issued;
  live.push(current);

  const use = await env.prober.value('created key', current.key);
  const assertions: AssertionResult[] = [
    statusAssertion('create answered 2xx', '2xx', created.status, true),
    statusAssertion('the created key is accepted', '2xx', statusOf(use), is2xx(statusOf(use))),
  ];
  const sentForCreate = [created.sent, use];
  if (admin.has('list')) {
    const list = await admin.call('list');
    sentForCreate.push(list.sent);
    const shown = list.sent.body.toString('utf8').includes(current.key);
    assertions.push(statusAssertion('list answered 2xx', '2xx', list.status, !list.problem));
    assertions.push({ name: 'the listing hides the key', passed: !shown, expected: 'no plaintext key', actual: shown ? 'the new key is in the listing' : 'not listed in plaintext' });
  }
  if (env.selected.has('create')) {
    const failed = assertions.find((a) => !a.passed);
    const message = !failed
      ? undefined
      : failed.name === 'the listing hides the key'
        ? 'the key listing shows a key in plaintext: it must be returned once, at creation'
        : `${failed.name}: expected ${failed.expected}, got ${failed.actual}`;
    outcomes.push(caseOutcome(t.create, sentForCreate, assertions, 'the created key worked at once and the listing does not show it', message));
  }

  let oldStillWorks = false;
  if (env.selected.has('rotation')) {
    if (!admin.has('rotate') || env.timing.graceMs === undefined) {
      outcomes.push(skipped(t.rotation, 'the profile describes no rotate endpoint (keyManagement.rotate)'));
    } else if (env.timing.graceMs > MAX_LIFECYCLE_WAIT_MS) {
      outcomes.push(
        skipped(t.rotation, `the grace period (${formatDuration(env.timing.graceMs)}) is longer than a check waits (${formatDuration(MAX_LIFECYCLE_WAIT_MS)}): rotate with a shorter grace (keyManagement.rotate.body) to test it`),
      );
    } else {
      const result = await rotation(env, t.rotation, current, env.timing.graceMs);
      outcomes.push(result.outcome);
      if (result.replacement) {
        current = result.replacement;
        live.push(current);
      }
      oldStillWorks = result.oldStillWorks;
    }
  }

  if (env.selected.has('revocation')) outcomes.push(await revocation(env, t.revocation, current));
  else await admin.call('revoke', current.id);
  // Cleanup: a rotated-out key the target failed to end.
  if (oldStillWorks) await admin.call('revoke', live[0]!.id);
  return outcomes;
}

/** The second within-grace probe goes out at this share of the grace period, so a key ended early is caught. */
const LATE_PROBE_SHARE = 0.75;

async function rotation(env: LifecycleEnv, c: CaseInfo, old: IssuedKey, graceMs: number): Promise<{ outcome: CheckOutcome; replacement?: IssuedKey; oldStillWorks: boolean }> {
  const rotateSentAt = performance.now();
  const rotated = await env.admin!.call('rotate', old.id);
  if (!rotated.issued) {
    return { outcome: caseOutcome(c, [rotated.sent], [{ name: 'rotate', passed: false, expected: 'a 2xx answer with the new key and its id', actual: rotated.problem }], '', `rotating the key failed: ${rotated.problem}`), oldStillWorks: false };
  }
  const ackAt = performance.now();
  const replacement = rotated.issued;
  // Only an answer that arrived within the grace period of the rotate request being sent proves anything.
  const inGrace = () => performance.now() - rotateSentAt < graceMs;
  const oldWithin = await env.prober.value('old key, within the grace period', old.key);
  const probedInTime = inGrace();
  const newKey = await env.prober.value('new key', replacement.key);
  // Again late in the grace period: a key ended after a tenth of it would pass a probe made right after rotating.
  let oldLate: { sent: SentRequest; afterMs: number; inTime: boolean } | undefined;
  const lateAt = rotateSentAt + graceMs * LATE_PROBE_SHARE;
  if (probedInTime && lateAt > performance.now()) {
    await sleep(lateAt - performance.now(), undefined, { signal: env.ctx.signal }).catch(() => undefined);
    const sent = await env.prober.value('old key, late in the grace period', old.key);
    oldLate = { sent, afterMs: performance.now() - rotateSentAt, inTime: inGrace() };
  }
  const waitMs = Math.max(0, ackAt + graceMs - performance.now());
  await sleep(waitMs, undefined, { signal: env.ctx.signal }).catch(() => undefined);
  const poll = await pollUntilRefused(env, 'old key, after the grace period', old.key, ackAt, ackAt + graceMs + env.timing.graceToleranceMs);

  const sent = [rotated.sent, oldWithin, newKey, ...(oldLate ? [oldLate.sent] : []), ...evidenceOf(poll)];
  const oldStillWorks = is2xx(statusOf(poll.last!));
  if (!probedInTime) {
    const message = `the old key was first probed after the ${formatDuration(graceMs)} grace period had ended, so nothing shows it worked within it: rotate with a longer grace (keyManagement.rotate.grace)`;
    return { outcome: errored(c, message, sent), replacement, oldStillWorks };
  }
  const lateJudged = oldLate?.inTime === true;
  const assertions: AssertionResult[] = [
    statusAssertion('the new key is accepted', '2xx', statusOf(newKey), is2xx(statusOf(newKey))),
    statusAssertion('the old key still works within the grace period', '2xx', statusOf(oldWithin), is2xx(statusOf(oldWithin))),
    ...(lateJudged ? [statusAssertion(`the old key still works ${formatDuration(oldLate!.afterMs)} into the grace period`, '2xx', statusOf(oldLate!.sent), is2xx(statusOf(oldLate!.sent)))] : []),
    statusAssertion(
      `the old key is refused after the grace period (${formatDuration(graceMs)} + ${formatDuration(env.timing.graceToleranceMs)})`,
      '401 or 403',
      statusOf(poll.last!),
      poll.refusedAfterMs !== undefined,
    ),
  ];
  const data = { graceMs, lateProbeAfterMs: oldLate?.afterMs, oldKeyRefusedAfterMs: poll.refusedAfterMs, probesAfterGrace: poll.sent.length };
  const failed = assertions.find((a) => !a.passed);
  let failMessage: string | undefined;
  if (failed === assertions[0]) failMessage = `the replacement key was refused (HTTP ${statusOf(newKey)})`;
  else if (failed === assertions[1]) failMessage = `the old key stopped working at once (HTTP ${statusOf(oldWithin)}); it should work for the ${formatDuration(graceMs)} grace period`;
  else if (failed && lateJudged && failed === assertions[2]) {
    failMessage = `the old key stopped working before its grace period ended: HTTP ${statusOf(oldLate!.sent)} ${formatDuration(oldLate!.afterMs)} after the rotation (grace ${formatDuration(graceMs)})`;
  } else if (failed) {
    const status = statusOf(poll.last!);
    failMessage = is2xx(status)
      ? `the rotated-out key still works ${formatDuration(performance.now() - ackAt)} after the rotation (grace ${formatDuration(graceMs)})`
      : `after the grace period the old key got HTTP ${status}, expected 401 or 403`;
  }
  const late = lateJudged ? ` (and ${formatDuration(oldLate!.afterMs)} into it)` : oldLate ? ' (the late probe came after the grace period, so only the first one counts)' : '';
  const passMessage = `the old key worked within the grace period${late} and was refused ${formatDuration(poll.refusedAfterMs ?? 0)} after the rotation (grace ${formatDuration(graceMs)})`;
  return { outcome: caseOutcome(c, sent, assertions, passMessage, failMessage, data), replacement, oldStillWorks };
}

async function revocation(env: LifecycleEnv, c: CaseInfo, key: IssuedKey): Promise<CheckOutcome> {
  const revoked = await env.admin!.call('revoke', key.id);
  if (revoked.problem) {
    return caseOutcome(c, [revoked.sent], [{ name: 'revoke', passed: false, expected: 'a 2xx answer', actual: revoked.problem }], '', `revoking the key failed: ${revoked.problem}`);
  }
  const ackAt = performance.now();
  const poll = await pollUntilRefused(env, 'revoked key', key.key, ackAt, ackAt + env.timing.revocationWithinMs);
  const within = formatDuration(env.timing.revocationWithinMs);
  const assertions = [statusAssertion(`refused within ${within}`, '401 or 403', statusOf(poll.last!), poll.refusedAfterMs !== undefined)];
  const data = { revocationLatencyMs: poll.refusedAfterMs, probes: poll.sent.length, limitMs: env.timing.revocationWithinMs };
  const status = statusOf(poll.last!);
  const failMessage = is2xx(status)
    ? `the revoked key still works ${formatDuration(performance.now() - ackAt)} after the revocation was acknowledged (limit ${within})`
    : `the revoked key got HTTP ${status}, expected 401 or 403`;
  const latency = poll.refusedAfterMs ?? 0;
  const passMessage =
    poll.sent.length === 1
      ? `refused by the first probe, answered ${formatDuration(latency)} after the revocation was acknowledged (limit ${within})`
      : `refused by probe ${poll.sent.length}, answered ${formatDuration(latency)} after the revocation was acknowledged (limit ${within})`;
  return caseOutcome(c, [revoked.sent, ...evidenceOf(poll)], assertions, passMessage, failMessage, data);
}

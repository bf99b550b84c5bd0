import type { AssertionResult } from '../../../results/model.js';
import type { RateLimitState } from '../headers.js';
import { admittedCount, type Observation } from '../observation.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';

const MARGIN_MS = 100;

type Format = 'ietf' | 'legacy';
const stateOf = (o: Observation, format: Format): RateLimitState | undefined => o.headers[format];

/**
 * Remaining falls by one per admitted request (the cost), give or take what the policy could refill in the time
 * between two answers, and is 0 when the first refusal comes; the limit is the declared one.
 */
function countingAssertions(format: Format, sequence: Observation[], limit: number, windowMs: number): AssertionResult[] {
  const label = format === 'ietf' ? 'RateLimit' : 'X-RateLimit';
  const admitted = sequence.filter((o) => o.admitted);
  const remaining = admitted.map((o) => stateOf(o, format)?.remaining);
  let wrongSteps = remaining[0] === limit - 1 ? 0 : 1;
  for (let i = 1; i < admitted.length; i++) {
    const [previous, current] = [remaining[i - 1], remaining[i]];
    const elapsed = admitted[i]!.sentAt + admitted[i]!.latencyMs - (admitted[i - 1]!.sentAt + admitted[i - 1]!.latencyMs);
    const refill = Math.ceil((Math.max(0, elapsed) * limit) / windowMs);
    if (previous === undefined || current === undefined || current < previous - 1 || current > previous - 1 + refill) wrongSteps++;
  }
  const out: AssertionResult[] = [
    {
      name: `${label} remaining falls by one per request`,
      passed: wrongSteps === 0,
      expected: `${limit - 1}, ${limit - 2}, ... 0`,
      actual: remaining.map((r) => r ?? '?').join(', '),
    },
  ];
  const refusal = sequence.find((o) => o.refused);
  const atRefusal = refusal && stateOf(refusal, format)?.remaining;
  if (refusal) out.push({ name: `${label} remaining at the first refusal`, passed: atRefusal === 0, expected: '0', actual: String(atRefusal ?? '(absent)') });
  const reportedLimit = admitted.map((o) => stateOf(o, format)?.limit).find((l) => l !== undefined);
  if (reportedLimit !== undefined) out.push({ name: `${label} limit`, passed: reportedLimit === limit, expected: String(limit), actual: String(reportedLimit) });
  return out;
}

/**
 * Header truth: a fresh client sends one request at a time until refused, checking what the RateLimit and
 * X-RateLimit headers claim against what happens; then it waits as long as the reset says and checks that the whole
 * quota really came back.
 */
export async function headerTruth(run: ProbeRun): Promise<ProbeResult> {
  const client = await run.session.freshClient('header truth');
  const sequence: Observation[] = [];
  for (let i = 0; i < run.limit + run.tolerance + 2; i++) {
    const o = await client.one(`request ${i + 1}`);
    sequence.push(o);
    if (!o.admitted) break;
  }
  const formats = (['ietf', 'legacy'] as const).filter((f) => sequence.some((o) => stateOf(o, f) !== undefined));
  if (formats.length === 0) return skipped('the target sends no RateLimit or X-RateLimit headers: nothing to hold true');
  requireSeen(admittedCount(sequence) > 0, `no request of a fresh caller was admitted (${tally(sequence)}), so no count-down could be followed`, sequence);
  const notes: string[] = [];
  if (sequence.every((o) => o.admitted)) {
    // A queue serves one request at a time as it frees up instead of refusing it: a burst fills it.
    const provoked = await client.burst(run.limit + run.tolerance + 2, { label: 'one at a time was never refused: a burst' });
    const refused = provoked.find((o) => !o.admitted);
    requireSeen(refused !== undefined, `${sequence.length} requests one at a time and a burst of ${provoked.length} were all admitted: the headers' count-down never reached a refusal`, [...sequence, ...provoked]);
    sequence.push(refused!);
    notes.push(`${sequence.length - 1} requests one at a time were all admitted (a queue delays rather than refuses), so the refusal was provoked with a burst of ${provoked.length}`);
  }
  const ended = sequence.at(-1)!;
  requireSeen(ended.refused, `the count-down ended with ${ended.status}, not a refusal status (refusedStatus): what the headers say at the refusal cannot be judged`, sequence);
  const problems = [...new Set(sequence.flatMap((o) => o.headers.problems))];
  const assertions: AssertionResult[] = formats.flatMap((f) => countingAssertions(f, sequence, run.limit, run.windowMs));
  if (problems.length) assertions.push({ name: 'headers parse', passed: false, expected: 'well-formed structured fields', actual: problems[0]! });

  const refusal = ended;
  const resetSec = refusal && formats.map((f) => stateOf(refusal, f)?.resetSec).find((r) => r !== undefined);
  const exchanges = sampleExchanges(sequence);
  let after: Observation[] = [];
  if (refusal && resetSec !== undefined) {
    await run.session.sleepUntil(refusal.sentAt + refusal.latencyMs + resetSec * 1000 + MARGIN_MS);
    after = await client.burst(run.limit, { label: 'when the reset says the quota is back' });
    const back = admittedCount(after);
    assertions.push({ name: 'quota back at the reset', passed: back >= run.limit - run.tolerance, expected: `${run.limit} admitted after ${resetSec}s`, actual: `${back} admitted` });
    exchanges.push(after[0]!.exchange);
  }
  const reset = resetSec === undefined ? 'no reset was given at the refusal, so when the quota returns was not checked' : `the quota was back when the reset said (${resetSec}s)`;
  return judged(assertions, exchanges, `${formats.join(' and ')} headers counted down to 0 at the first refusal; ${reset}`, {
    data: { sequence: sequence.map((o) => ({ status: o.status, ietf: o.headers.ietf, legacy: o.headers.legacy })), resetSec },
    notes,
  });
}

import { unknownLike } from '../../api-key/guesses.js';
import { keyInUse, withRawKey } from '../key-in-use.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited, requireSeen, tally } from './precondition.js';

/** How a target refuses a key it does not know. */
const KEY_REFUSED = new Set([401, 403]);

/**
 * Credential stuffing: made-up keys, a different one on every request, from one fresh caller. A limiter keyed on
 * the presented key gives each guess a bucket of its own, so guessing is never slowed: the guesses must meet the
 * limit (be refused once about `limit` of them were answered), as the caller's own requests would. When no guess
 * is refused, the caller's real key is then spent to show that the route is limited at all.
 */
export async function guessedKeys(run: ProbeRun): Promise<ProbeResult> {
  const { session } = run;
  const client = await session.freshClient('guessed keys');
  const key = keyInUse(client.request, session.ctx.profile);
  if (!key) return skipped('the request sends no API key, so there is nothing to guess');
  const count = 2 * run.limit + 5;
  const guesses = await client.burstOf(
    Array.from({ length: count }, () => withRawKey(client.request, unknownLike(key.value), key.placement, true)),
    { label: 'a made-up key each' },
  );
  const answered = guesses.filter((o) => !o.refused);
  requireSeen(!guesses.some((o) => o.admitted), `made-up keys were admitted (${tally(guesses)}): the route does not check keys, so guessing them cannot be limited`, guesses);
  requireSeen(answered.length > 0, `every guess was refused at once (${tally(guesses)}), so the caller may have been limited before the first guess`, guesses);
  requireSeen(answered.every((o) => KEY_REFUSED.has(o.status)), `made-up keys were not refused as unknown keys (401 or 403) but answered ${tally(answered)}`, guesses);
  const passed = answered.length <= run.limit + run.tolerance;
  const evidence = sampleExchanges(guesses);
  let limitedOwn = '';
  const notes: string[] = [];
  if (answered.length === count) {
    // Unlimited guesses are a finding only on a route that does limit the caller's real key.
    const own = await client.burst(run.limit + 2, { label: "the caller's own key" });
    requireLimited(own, "the caller's own key");
    limitedOwn = `, while its own key was refused after ${own.filter((o) => o.admitted).length}`;
    evidence.push(own.find((o) => o.refused)!.exchange);
    notes.push('guessing keys is never limited here: the limiter keys on the key presented (every guess a bucket of its own), or sees only requests that authenticated');
  }
  return judged(
    [
      {
        name: 'guesses answered before the limit',
        passed,
        expected: `at most ${run.limit} (the declared limit, + ${run.tolerance}), then refusals`,
        actual: answered.length === count ? `all ${count} answered, none refused (${tally(guesses)})${limitedOwn}` : `${answered.length} of ${count} (${tally(guesses)})`,
      },
    ],
    evidence,
    `${count} made-up keys in a row met the limit: ${tally(guesses)}`,
    { data: { sent: count, answeredBeforeLimit: answered.length }, notes },
  );
}

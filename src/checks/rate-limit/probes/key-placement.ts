import type { KeyPlacement } from '../../../scenario/types.js';
import { admittedCount } from '../observation.js';
import { describePlacement, keyInUse, withRawKey } from '../key-in-use.js';
import { sampleExchanges } from '../session.js';
import { judged, skipped, type ProbeResult, type ProbeRun } from './context.js';
import { requireLimited, requireSeen, tally } from './precondition.js';
import { exhaustQuota } from './exhaust.js';

type Placement = Omit<KeyPlacement, 'name'>;

/** Where else a client could put the same key: the query, a bearer token, the X-API-Key header. */
function otherPlacements(own: Placement): Placement[] {
  const all: Placement[] = [{ in: 'query', param: 'api_key' }, { in: 'bearer' }, { in: 'header', header: 'X-API-Key' }];
  return all.filter((p) => p.in !== own.in);
}

/**
 * One key, two places: once the key's quota is spent where the request puts it, the same key in the query, as a
 * bearer token or in the X-API-Key header must be refused as much as it is where it was spent (or not accepted
 * there at all). All are sent in one burst with the key in its own place as the control, so whatever the quota
 * regains meanwhile is the same for both. A limiter keyed on one header while the authentication reads several
 * lets a client multiply its quota.
 */
export async function keyPlacement(run: ProbeRun): Promise<ProbeResult> {
  if (run.keyedOn !== 'key') return skipped(`the limit is keyed on ${run.keyedOn}, not on the API key`);
  const { session } = run;
  const client = await session.freshClient('key placement');
  const key = keyInUse(client.request, session.ctx.profile);
  if (!key) return skipped('the request sends no API key');
  const exhausted = await exhaustQuota(client, run.limit + 2, `exhaust in ${describePlacement(key.placement)}`);
  requireLimited(exhausted, `the key in ${describePlacement(key.placement)}`);

  const places = [key.placement, ...otherPlacements(key.placement)];
  const count = run.tolerance + 5;
  const requests = Array.from({ length: count }, () => places.map((p, i) => (i === 0 ? client.request : withRawKey(client.request, key.value, p)))).flat();
  const answers = await client.burstOf(requests, { label: 'the same key in every place at once' });
  const inPlace = places.map((placement, i) => ({ placement, answers: answers.filter((_, j) => j % places.length === i) }));
  const [control, ...others] = inPlace;
  requireSeen(control!.answers.some((o) => o.refused), `the key was no longer limited in ${describePlacement(key.placement)} (${tally(control!.answers)}), so the other places have nothing to be compared with`, control!.answers);
  const baseline = admittedCount(control!.answers);
  const assertions = others.map(({ placement, answers: sent }) => {
    const admitted = admittedCount(sent);
    return {
      name: `the key in ${describePlacement(placement)}`,
      passed: admitted <= baseline + run.tolerance,
      expected: `refused like the key in ${describePlacement(key.placement)} (${baseline} of ${count} admitted), or not accepted there`,
      actual: admitted > baseline + run.tolerance ? `${admitted} of ${count} admitted: a bucket of its own (${tally(sent)})` : tally(sent),
    };
  });
  return judged(
    assertions,
    sampleExchanges([...exhausted.slice(-1), ...answers]),
    `with the key's quota spent in ${describePlacement(key.placement)} (${tally(control!.answers)} there), ${others.map((t) => `${describePlacement(t.placement)}: ${tally(t.answers)}`).join('; ')}`,
    { data: { placements: inPlace.map((t) => ({ in: t.placement.in, admitted: admittedCount(t.answers), statuses: tally(t.answers) })) } },
  );
}

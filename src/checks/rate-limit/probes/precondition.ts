import type { Evidence } from '../../../results/model.js';
import { GauntletError } from '../../../util/errors.js';
import { countsText, statusCounts } from '../../tally.js';
import type { Observation } from '../observation.js';
import { sampleExchanges } from '../session.js';

/**
 * A probe did not see what it needs to conclude (a refusal before judging a refill, an admission before judging
 * a limit): it ends errored, never passed, and says what was missing.
 */
export class PreconditionUnmet extends GauntletError {
  constructor(
    readonly missing: string,
    readonly evidence: Evidence,
  ) {
    super('E_PRECONDITION', `cannot conclude: ${missing}`);
  }
}

/** Throws PreconditionUnmet unless `holds`, with a few of the requests as evidence. */
export function requireSeen(holds: boolean, missing: string, observations: readonly Observation[]): void {
  if (!holds) throw new PreconditionUnmet(missing, { exchanges: sampleExchanges(observations) });
}

/** `10 x 200, 15 x 429`: what a group of requests was answered, by status, in the order first seen. */
export function tally(observations: readonly Observation[]): string {
  return countsText(statusCounts(observations.map((o) => o.status)));
}

/**
 * The usual precondition of a probe that spends a caller's quota: some of its requests were admitted (the caller
 * had a quota) and some refused (the limiter was met), so what follows can be judged against a limited caller.
 */
export function requireLimited(observations: readonly Observation[], who: string): void {
  requireSeen(observations.some((o) => o.admitted), `${who} had no request admitted (${tally(observations)}): a caller with a whole quota must be admitted at first`, observations);
  requireSeen(observations.some((o) => o.refused), `${who} was never refused (${tally(observations)}): the probe needs a limited caller`, observations);
}

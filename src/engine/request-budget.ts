import type { Exchange, TransportEvidence } from '../results/model.js';
import { GauntletError } from '../util/errors.js';
import { THROTTLE_ALLOWANCE_MS } from './throttle.js';

/** Requests of one check left unanswered in a row (each at its deadline) before the rest are not sent. */
export const UNANSWERED_LIMIT = 2;

/**
 * One check's requests: a count bound (the kind's declared bound; going past it is a bug in the kind, and stops
 * the check), and a breaker for a target that stopped answering: after UNANSWERED_LIMIT requests in a row ran
 * into their deadline, the check's next requests are not sent and fail at once, so a dead or dripping target costs
 * a check two deadlines, not one per request.
 *
 * It also keeps the time the harness spends on the check's behalf, which the kind cannot foresee: turns at the
 * profile's pace, waits for a 429 (at most THROTTLE_ALLOWANCE_MS in all) and the retries after them. The check's
 * time bound grows by it, so the watchdog never stops a check for the harness's own waits.
 */
export class RequestBudget {
  private sent = 0;
  private unanswered = 0;
  private harness = 0;
  private throttleWaitLeft = THROTTLE_ALLOWANCE_MS;
  /** 429s met, requests sent again after one, and the time waited for them. */
  readonly throttles = { met: 0, retried: 0, waitedMs: 0 };

  constructor(readonly maxRequests: number) {}

  /**
   * Before each request: why it is not sent (the target stopped answering), or undefined to send it. A retry after
   * a 429 is the harness's, not the kind's: it does not count against the kind's bound (at most one per request).
   */
  admit(options: { retry?: boolean } = {}): TransportEvidence | undefined {
    if (this.unanswered >= UNANSWERED_LIMIT) {
      return {
        class: 'timeout',
        code: 'GAUNTLET_NOT_SENT',
        message: `not sent: the target left the last ${UNANSWERED_LIMIT} requests of this check unanswered within their deadline`,
      };
    }
    if (options.retry) return undefined;
    if (++this.sent > this.maxRequests) {
      throw new GauntletError(
        'E_REQUEST_BOUND',
        `the check tried to send more than its bound of ${this.maxRequests} requests and was stopped (a bug in its kind: please report it)`,
      );
    }
    return undefined;
  }

  /** After each request: a deadline reached counts towards the breaker, anything else resets it. */
  record(exchange: Exchange): void {
    this.unanswered = exchange.transport?.class === 'timeout' ? this.unanswered + 1 : 0;
  }

  get count(): number {
    return this.sent;
  }

  /** The harness spends `ms` for this check (reserved before the wait, so a watchdog firing meanwhile sees it). */
  addHarnessTime(ms: number): void {
    this.harness += ms;
  }

  /** Time the harness has spent (or reserved) for this check: its time bound grows by this much. */
  get harnessMs(): number {
    return this.harness;
  }

  /** How long this check may still wait for 429s. */
  get throttleWaitLeftMs(): number {
    return this.throttleWaitLeft;
  }

  /** Takes `ms` of the check's 429 allowance; false (taking nothing) when less than that is left. */
  claimThrottleWait(ms: number): boolean {
    if (ms > this.throttleWaitLeft) return false;
    this.throttleWaitLeft -= ms;
    this.harness += ms;
    return true;
  }
}

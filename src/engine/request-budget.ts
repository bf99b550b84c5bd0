import type { Exchange, TransportEvidence } from '../results/model.js';
import { GauntletError } from '../util/errors.js';

/** Requests of one check left unanswered in a row (each at its deadline) before the rest are not sent. */
export const UNANSWERED_LIMIT = 2;

/**
 * One check's requests: a count bound (the kind's declared bound; going past it is a bug in the kind, and stops
 * the check), and a breaker for a target that stopped answering: after UNANSWERED_LIMIT requests in a row ran
 * into their deadline, the check's next requests are not sent and fail at once, so a dead or dripping target costs
 * a check two deadlines, not one per request.
 */
export class RequestBudget {
  private sent = 0;
  private unanswered = 0;

  constructor(readonly maxRequests: number) {}

  /** Before each request: why it is not sent (the target stopped answering), or undefined to send it. */
  admit(): TransportEvidence | undefined {
    if (this.unanswered >= UNANSWERED_LIMIT) {
      return {
        class: 'timeout',
        code: 'GAUNTLET_NOT_SENT',
        message: `not sent: the target left the last ${UNANSWERED_LIMIT} requests of this check unanswered within their deadline`,
      };
    }
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
}

import type { Exchange, TransportEvidence } from '../results/model.js';
import { NOTHING_THERE } from '../results/unreachable.js';

/** Transport failures that prove nothing about the target: requests gauntlet itself stopped or never sent. */
const OURS = new Set(['GAUNTLET_ABORTED', 'GAUNTLET_NOT_SENT']);

/**
 * Watches the run's requests to the target's origin until one is answered. When, before that, one finds nothing
 * there (connection refused, no such host), the target is unreachable: `onUnreachable` is told once, so the run can
 * stop instead of meeting the same refusal in every check. A target that answered once is never declared
 * unreachable later: its checks report their own failures.
 */
export class ReachabilityWatch {
  private reached = false;
  private failure: TransportEvidence | undefined;
  private readonly origin: string;

  constructor(
    targetUrl: string,
    private readonly onUnreachable: (transport: TransportEvidence) => void,
  ) {
    this.origin = new URL(targetUrl).origin;
  }

  /** The failure that made the target unreachable, once it is. */
  get unreachable(): TransportEvidence | undefined {
    return this.failure;
  }

  observe(url: URL, exchange: Exchange): void {
    if (this.reached || this.failure || url.origin !== this.origin) return;
    const transport = exchange.transport;
    if (!transport) {
      this.reached = true;
      return;
    }
    if (OURS.has(transport.code)) return;
    if (NOTHING_THERE.has(transport.class)) {
      this.failure = transport;
      this.onUnreachable(transport);
      return;
    }
    // Something listened: a TLS handshake that failed, a connection reset, bytes that were not HTTP. A timeout
    // proves nothing either way.
    if (transport.class !== 'timeout') this.reached = true;
  }
}

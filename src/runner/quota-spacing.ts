import { formatDuration } from '../util/duration.js';

export interface QuietWait {
  ms: number;
  /** What the wait lets pass, for the progress line and the note on the check's results. */
  reason: string;
}

/**
 * Keeps the run's quota-spending checks (kinds with `quotaRecoveryMs`: rate-limit, load) from measuring the
 * traffic of the checks before them: one starts only once the target has had no traffic for the longer of its own
 * recovery time and the previous such check's. The runner tells it when each check that sent anything ended; its
 * exclusive gate keeps other checks from starting while a quota check waits.
 */
export class QuotaSpacing {
  private lastTrafficEnd: number | undefined;
  private previous: { id: string; recoveryMs: number } | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** How long a quota check with this recovery time must still wait, and why; undefined when it may start now. */
  waitBefore(recoveryMs: number): QuietWait | undefined {
    if (this.lastTrafficEnd === undefined) return undefined;
    const previous = this.previous && this.previous.recoveryMs > recoveryMs ? this.previous : undefined;
    const needed = previous?.recoveryMs ?? recoveryMs;
    const ms = this.lastTrafficEnd + needed - this.now();
    if (ms <= 0) return undefined;
    const reason = previous
      ? `the recovery time of ${previous.id} (${formatDuration(needed)}), the check before it`
      : `its own policy's recovery time (${formatDuration(needed)}) after the checks before it`;
    return { ms, reason };
  }

  /** A check that sent traffic ended; `recoveryMs` when it spends quota on purpose. */
  ended(id: string, recoveryMs?: number): void {
    this.lastTrafficEnd = this.now();
    if (recoveryMs !== undefined) this.previous = { id, recoveryMs };
  }
}

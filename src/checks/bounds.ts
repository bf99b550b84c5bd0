import type { TargetProfile } from '../scenario/types.js';
import { parseDuration } from '../util/duration.js';

/** More requests than this in one check, or any sent side by side, is a burst or load (see the load guard). */
export const HANDFUL = 100;

/**
 * The most one run of a check can cost, whatever the target does: every kind declares it from its spec, and the
 * runner enforces it (a load guard before anything is sent, a request count, a watchdog on the time).
 *
 * What the harness does for a check on its own account is not the kind's to declare, and the runner adds it as it
 * happens: a check's time bound grows by the time its requests waited for their turn at the profile's `pace`
 * (shared by every check of the run, so it depends on what else runs) and by its waits for 429s (at most
 * THROTTLE_ALLOWANCE_MS) with the one retry after each. A paced check takes longer; its watchdog waits longer.
 */
export interface CheckBounds {
  /** Requests (and raw TLS connections) sent at most; a retry after a 429 is the harness's, on top (one per request). */
  requests: number;
  /** Some requests go out side by side: a burst or a load run. */
  concurrent?: boolean;
  /** The longest a run takes: its requests, each at its deadline, plus the waits it makes on purpose. */
  durationMs: number;
  /** The base URLs it sends to (default: the profile's target). */
  targets?: string[];
  /** How to make the check send only a handful, for the load guard's message. */
  smaller?: string;
}

export interface BoundsContext {
  /** The run's per-request deadline (--timeout, else the profile's). */
  timeoutMs: number;
  profile: TargetProfile;
}

/** A request's own deadline when its spec sets one, else the run's. */
export function deadlineOf(timeout: string | number | undefined, context: BoundsContext): number {
  const own = timeout === undefined ? undefined : parseDuration(timeout);
  return own ?? context.timeoutMs;
}

/** `count` requests one after another, each at most `deadlineMs`, plus `waitMs` of deliberate waiting. */
export function sequential(count: number, deadlineMs: number, waitMs = 0, extra: Partial<CheckBounds> = {}): CheckBounds {
  return { requests: count, durationMs: count * deadlineMs + waitMs, ...extra };
}

/** Whether a check with these bounds sends a burst or load: then it goes to loopback only, unless allowed. */
export function sendsLoad(bounds: CheckBounds): boolean {
  return bounds.concurrent === true || bounds.requests > HANDFUL;
}

/** How many probes a poll every `intervalMs` for `windowMs` sends at most (the first at once, the last at the end). */
export function pollsWithin(windowMs: number, intervalMs: number): number {
  return Math.ceil(windowMs / Math.max(1, intervalMs)) + 1;
}

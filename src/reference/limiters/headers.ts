import { serializeList, type Item } from 'structured-headers';
import type { Decision, Policy } from './algorithms/types.js';

/**
 * `draft`: RateLimit-Policy and RateLimit of draft-ietf-httpapi-ratelimit-headers-11 (RFC 9651 structured fields:
 * a List of String items naming each policy, with q = quota, w = window in seconds, r = remaining, t = seconds to
 * reset). `legacy`: X-RateLimit-Limit / -Remaining / -Reset, the last as a Unix time in seconds, as GitHub and
 * express-rate-limit send it.
 */
export type HeaderStyle = 'draft' | 'legacy';
export const HEADER_STYLES: readonly HeaderStyle[] = ['draft', 'legacy'];

export interface HeaderOptions {
  styles: readonly HeaderStyle[];
  /** Wall clock for the legacy Reset timestamp (ms). */
  now?: number;
  /** Flaw limit-headers-lie: report the full limit as remaining, whatever was used. */
  lie?: boolean;
}

/** Whole seconds, rounded up: a client that waits this long is never early. */
export const secondsUp = (ms: number): number => Math.max(0, Math.ceil(ms / 1000 - 1e-9));

/** RateLimit-Policy for every policy of a limiter (it does not change between responses, so build it once). */
export function policyHeader(policies: readonly Policy[]): string {
  return serializeList(policies.map((p): Item => [p.name, new Map([['q', p.limit], ['w', Math.max(1, secondsUp(p.windowMs))]])]));
}

/** The rate-limit headers of one response, for the deciding policy. */
export function decisionHeaders(decision: Decision, policyField: string, options: HeaderOptions): Record<string, string> {
  const remaining = options.lie ? decision.limit : Math.max(0, Math.floor(decision.remaining));
  const resetSeconds = secondsUp(decision.resetMs);
  const headers: Record<string, string> = {};
  if (options.styles.includes('draft')) {
    headers['ratelimit-policy'] = policyField;
    headers['ratelimit'] = serializeList([[decision.policy, new Map([['r', remaining], ['t', resetSeconds]])]]);
  }
  if (options.styles.includes('legacy')) {
    headers['x-ratelimit-limit'] = String(decision.limit);
    headers['x-ratelimit-remaining'] = String(remaining);
    headers['x-ratelimit-reset'] = String(Math.ceil(((options.now ?? Date.now()) + decision.resetMs) / 1000));
  }
  return headers;
}

/** Retry-After in whole seconds, rounded up (at least 1), so a retry at that moment is admitted; undefined when no retry ever could be. */
export function retryAfterSeconds(decision: Decision): number | undefined {
  if (!Number.isFinite(decision.retryAfterMs)) return undefined;
  return Math.max(1, secondsUp(decision.retryAfterMs));
}

import type { Exchange } from '../results/model.js';
import { formatDuration } from '../util/duration.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * How long to wait before the retry when a 429 does not say when to come back (no Retry-After, or one that is
 * neither delta-seconds nor an HTTP date). Long enough for the common 1 s and 10 s windows of gateways (HAProxy's
 * `http_req_rate(10s)`, nginx `limit_req`); a per-minute limit needs a Retry-After, or the profile's `pace`.
 */
export const DEFAULT_THROTTLE_WAIT_MS = 10_000;

/** What one check may wait, in all, for the 429s it meets before sending the requests again. */
export const THROTTLE_ALLOWANCE_MS = 30_000;

export interface ThrottleWait {
  ms: number;
  from: 'retry-after' | 'default';
  /** The Retry-After value as sent, if any. */
  retryAfter?: string;
}

function header(exchange: Exchange, name: string): string | undefined {
  const headers = exchange.response?.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** When a 429 says to come back: its Retry-After (delta-seconds or an HTTP date, RFC 9110 §10.2.3), else the default. */
export function throttleWait(exchange: Exchange, now = Date.now()): ThrottleWait {
  const retryAfter = header(exchange, 'retry-after')?.trim();
  const seconds = parseRetryAfter(retryAfter, now);
  if (seconds !== undefined) return { ms: seconds * 1000, from: 'retry-after', retryAfter };
  return { ms: DEFAULT_THROTTLE_WAIT_MS, from: 'default', retryAfter };
}

/** `Retry-After: 2`, or why the default wait applies. */
export function describeThrottleWait(wait: ThrottleWait): string {
  if (wait.from === 'retry-after') return `Retry-After: ${wait.retryAfter}`;
  const why = wait.retryAfter === undefined ? 'no Retry-After' : `Retry-After '${wait.retryAfter}' is not seconds or a date`;
  return `${why}, so the default ${formatDuration(DEFAULT_THROTTLE_WAIT_MS)}`;
}

import type { SentRequest } from '../../engine/send.js';
import type { Exchange } from '../../results/model.js';
import { parseRateLimitHeaders, type ParsedRateLimitHeaders } from './headers.js';

/** One request of a probe as the fingerprint and the judgements need it. */
export interface Observation {
  /** Which client quota it used (an API key name, or the one shared client). */
  client: string;
  /** Wall-clock instant it was handed to the connection (ms). */
  sentAt: number;
  /** Our estimate of when the target saw it: sentAt plus half the fastest round trip seen. */
  arrivedAt: number;
  /**
   * Our estimate of when the target let it through: the answer's arrival less half the fastest round trip. A
   * leaky queue serves an admitted request late, and that is when it counts against the rate.
   */
  servedAt: number;
  status: number;
  admitted: boolean;
  refused: boolean;
  latencyMs: number;
  headers: ParsedRateLimitHeaders;
  exchange: Exchange;
}

/** How a status counts: 2xx and 3xx admitted; a refusal status refused; anything else neither. */
export function observe(client: string, sentAt: number, sent: SentRequest, refusedStatus: readonly number[]): Observation {
  const exchange = sent.exchange;
  const status = exchange.response?.status ?? 0;
  return {
    client,
    sentAt,
    arrivedAt: sentAt,
    servedAt: sentAt + exchange.timings.totalMs,
    status,
    admitted: status >= 200 && status < 400,
    refused: refusedStatus.includes(status),
    latencyMs: exchange.timings.totalMs,
    headers: parseRateLimitHeaders(exchange.response?.headers ?? {}, sentAt + exchange.timings.totalMs),
    exchange,
  };
}

export const admittedCount = (observations: readonly Observation[]) => observations.filter((o) => o.admitted).length;

/** The most admitted requests served within any interval of length `windowMs`. */
export function maxAdmittedInWindow(observations: readonly Observation[], windowMs: number): { count: number; from: number } {
  const times = observations.filter((o) => o.admitted).map((o) => o.servedAt).sort((a, b) => a - b);
  let best = { count: 0, from: times[0] ?? 0 };
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    if (i - j + 1 > best.count) best = { count: i - j + 1, from: times[j]! };
  }
  return best;
}

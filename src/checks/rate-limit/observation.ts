import type { SentRequest } from '../../engine/send.js';
import type { Exchange } from '../../results/model.js';
import { admittedBy } from '../admitted.js';
import type { StatusExpectation } from '../http/spec.js';
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

/** How a status counts: admitted by the limiter, refused by it, or neither (a redirect, an error, no answer). */
export type StatusClassifier = (status: number) => 'admitted' | 'refused' | 'other';

/**
 * Admitted is 2xx unless `admittedStatus` says otherwise (a 3xx is "other": a redirect proves nothing about the
 * limiter), refused is a status of `refusedStatus`; a status in both counts as refused.
 */
export function statusClassifier(refusedStatus: readonly number[], admittedStatus?: StatusExpectation): StatusClassifier {
  const admitted = admittedBy(admittedStatus);
  return (status) => (refusedStatus.includes(status) ? 'refused' : status !== 0 && admitted(status) ? 'admitted' : 'other');
}

export function observe(client: string, sentAt: number, sent: SentRequest, classify: StatusClassifier): Observation {
  const exchange = sent.exchange;
  const status = exchange.response?.status ?? 0;
  const outcome = classify(status);
  return {
    client,
    sentAt,
    arrivedAt: sentAt,
    servedAt: sentAt + exchange.timings.totalMs,
    status,
    admitted: outcome === 'admitted',
    refused: outcome === 'refused',
    latencyMs: exchange.timings.totalMs,
    headers: parseRateLimitHeaders(exchange.response?.headers ?? {}, sentAt + exchange.timings.totalMs),
    exchange,
  };
}

export const admittedCount = (observations: readonly Observation[]) => observations.filter((o) => o.admitted).length;

/**
 * The most admitted requests the target certainly let through within one interval shorter than `windowMs`. It
 * decided each one at some instant between the request's earliest arrival (`arrivedAt`) and its latest service
 * (`servedAt`), so a group counts only when that whole span fits in the window: a stall on our side (a burst sent
 * late, answers read late) can hide a violation but never invent one.
 */
export function maxAdmittedInWindow(observations: readonly Observation[], windowMs: number): { count: number; from: number } {
  const admitted = observations.filter((o) => o.admitted).sort((a, b) => a.arrivedAt - b.arrivedAt);
  let best = { count: 0, from: admitted[0]?.arrivedAt ?? 0 };
  for (let i = 0; i < admitted.length; i++) {
    const end = admitted[i]!.arrivedAt + windowMs;
    let count = 0;
    for (let j = i; j < admitted.length && admitted[j]!.arrivedAt < end; j++) if (admitted[j]!.servedAt < end) count++;
    if (count > best.count) best = { count, from: admitted[i]!.arrivedAt };
  }
  return best;
}

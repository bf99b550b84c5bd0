import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestSpec } from '../../engine/http-client.js';
import { assertLoadAllowed } from '../../engine/load-guard.js';
import type { Exchange } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { parseRetryAfter } from '../../engine/retry-after.js';
import { responseHeader } from '../response-headers.js';
import type { CheckContext } from '../types.js';
import type { BurstSpec } from './spec.js';

export interface BurstResult {
  /** The first 429, when one came. */
  limited?: Exchange;
  sent: number;
  elapsedMs: number;
  statuses: Record<string, number>;
  /** The last transport failure, if every request failed below HTTP. */
  transportOnly?: Exchange;
}

/** A burst's settings with their defaults: 100 requests at most, started within 5 s, 5 at a time, cool-down up to 5 s. */
export function burstSettings(burst: BurstSpec = {}): { max: number; withinMs: number; concurrency: number; cooldownMaxMs: number } {
  const max = burst.max ?? 100;
  return {
    max,
    withinMs: parseDuration(burst.within ?? '5s')!,
    concurrency: Math.min(burst.concurrency ?? 5, max),
    cooldownMaxMs: parseDuration(burst.cooldownMax ?? '5s')!,
  };
}

/**
 * Sends the request repeatedly, a few at a time, until one is answered 429, `max` have been sent or `within`
 * has passed. Only ever to loopback unless load is allowed.
 */
export async function burstUntil429(ctx: CheckContext, request: RequestSpec, burst: BurstSpec = {}): Promise<BurstResult> {
  const { max, withinMs: within, concurrency } = burstSettings(burst);
  assertLoadAllowed([request.baseUrl ?? ctx.profile.baseUrl], ctx.options.allowLoad);

  const started = performance.now();
  const statuses: Record<string, number> = {};
  let sent = 0;
  let limited: Exchange | undefined;
  let lastTransport: Exchange | undefined;
  const worker = async () => {
    while (!limited && sent < max && performance.now() - started < within && !ctx.signal.aborted) {
      sent++;
      const { exchange } = await ctx.http.send({ ...request, label: `burst request ${sent}`, limitProbe: true });
      const key = exchange.response ? String(exchange.response.status) : (exchange.transport?.class ?? 'error');
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (exchange.transport) lastTransport = exchange;
      if (exchange.response?.status === 429 && !limited) limited = exchange;
      if (sent % 10 === 0) ctx.progress(`burst: ${sent}/${max} sent`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const answered = Object.keys(statuses).some((k) => /^\d+$/.test(k));
  return { limited, sent, elapsedMs, statuses, transportOnly: answered ? undefined : lastTransport };
}

/** Seconds or an HTTP date, as milliseconds from now. */
export function retryAfterMs(exchange: Exchange, now = Date.now()): number | undefined {
  const seconds = parseRetryAfter(responseHeader(exchange, 'retry-after'), now);
  return seconds === undefined ? undefined : seconds * 1000;
}

/** After provoking a 429, waits out Retry-After (at most `cooldownMax`) so the checks after this one are not throttled. */
export async function coolDown(ctx: CheckContext, limited: Exchange, burst: BurstSpec = {}): Promise<number> {
  const wait = Math.min(retryAfterMs(limited) ?? 0, burstSettings(burst).cooldownMaxMs);
  if (wait <= 0) return 0;
  ctx.progress(`waiting ${Math.ceil(wait / 1000)}s for the rate limit to reset`);
  await sleep(wait, undefined, { signal: ctx.signal }).catch(() => undefined);
  return wait;
}

import { randomInt } from 'node:crypto';
import type { RequestSpec } from '../../engine/http-client.js';
import { stopReason } from '../../engine/stop-reason.js';
import type { Exchange } from '../../results/model.js';
import type { CheckContext } from '../types.js';
import { keepingPrefix, keepingScheme } from '../api-key/guesses.js';
import type { KeyIn } from '../api-key/spec.js';

export type Group = 'shared' | 'other';

export interface SamplingPlan {
  base: RequestSpec;
  placement: { in: KeyIn; header?: string };
  realKey: string;
  prefixLength: number;
  schemeLength: number;
  samples: number;
  warmup: number;
  /** Requests per guess; the sample is the fastest (a stall rarely hits all of them). */
  repeat: number;
  deadline: number;
}

export interface RoundSamples {
  shared: number[];
  other: number[];
  /** Status codes seen per group, e.g. { shared: { 401: 150 }, other: { 401: 150 } }. */
  statuses: Record<Group, Record<string, number>>;
  /** One exchange of each group, for the report. */
  examples: Exchange[];
  transportErrors: number;
  stopped?: string;
}

/** A guess of each group: same length and look; only `shared` keeps the real key's identifying prefix. */
export function guess(plan: SamplingPlan, group: Group): string {
  return group === 'shared' ? keepingPrefix(plan.realKey, plan.prefixLength) : keepingScheme(plan.realKey, plan.schemeLength);
}

function place(plan: SamplingPlan, value: string): RequestSpec {
  const headers = { ...plan.base.headers };
  if (plan.placement.in === 'bearer') headers.Authorization = `Bearer ${value}`;
  else headers[plan.placement.header ?? 'X-API-Key'] = value;
  return { ...plan.base, key: 'none', headers };
}

/**
 * One round of measurements. The groups are interleaved pair by pair in a random order, so whatever else the
 * machine does (another process, a GC, frequency scaling) falls on both groups alike; a warm-up first fills
 * connection pools and JIT caches; each guess is sent `repeat` times back to back and only its fastest answer
 * counts, which filters most stalls out. Requests go one at a time on the same connection.
 */
export async function sampleRound(ctx: CheckContext, plan: SamplingPlan, round: number): Promise<RoundSamples> {
  const result: RoundSamples = { shared: [], other: [], statuses: { shared: {}, other: {} }, examples: [], transportErrors: 0 };
  const measure = async (group: Group, keep: boolean): Promise<void> => {
    const value = guess(plan, group);
    let fastest = Number.POSITIVE_INFINITY;
    let exchange: Exchange | undefined;
    for (let attempt = 0; attempt < plan.repeat; attempt++) {
      const sent = await ctx.http.send(place(plan, value));
      if (sent.exchange.transport) {
        result.transportErrors++;
        return;
      }
      exchange = sent.exchange;
      fastest = Math.min(fastest, exchange.timings.headersMs ?? exchange.timings.totalMs);
    }
    if (!keep || !exchange) return;
    result[group].push(fastest);
    const status = String(exchange.response!.status);
    result.statuses[group][status] = (result.statuses[group][status] ?? 0) + 1;
    if (!result.examples.some((e) => e.label === group)) {
      ctx.secrets.add(value);
      result.examples.push({ ...exchange, label: group });
    }
  };

  const limit = plan.samples + plan.warmup;
  for (let i = 0; i < limit; i++) {
    if (ctx.signal.aborted) return { ...result, stopped: stopReason(ctx.signal) };
    if (performance.now() > plan.deadline) return { ...result, stopped: `the time budget ran out after ${result.shared.length} samples per group` };
    if (result.transportErrors > Math.max(5, limit * plan.repeat * 0.05)) return { ...result, stopped: `${result.transportErrors} requests failed below HTTP` };
    const keep = i >= plan.warmup;
    const first: Group = randomInt(2) === 0 ? 'shared' : 'other';
    await measure(first, keep);
    await measure(first === 'shared' ? 'other' : 'shared', keep);
    if (i % 50 === 0) ctx.progress(`round ${round}: ${Math.max(0, i - plan.warmup)}/${plan.samples} pairs`);
  }
  return result;
}

import { parseDuration } from '../../util/duration.js';
import type { DeclaredPolicy } from './spec.js';

/** A declared limit as every probe, the fingerprint and the models use it: `limit` requests per `windowMs`. */
export interface PolicyModel {
  limit: number;
  windowMs: number;
  /** How the policy was written, for messages: `10 per 2s`, or `rate 5/s, burst 11 (11 per 2.2s)`. */
  described: string;
}

const RATE = /^\s*(\d+(?:\.\d+)?)\s*r?\s*\/\s*(\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)|s|sec|second|m|min|minute|h|hour|d|day)\s*$/;
const UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000 };

export const RATE_PATTERN = RATE.source;

/**
 * Requests per millisecond from a rate as gateways write it: a number (per second, as in an AWS usage plan's
 * throttle), `5r/s` or `30r/m` (nginx limit_req), `5/s`, `100/2s`. Undefined when it is not one of those.
 */
export function parseRate(rate: string | number): number | undefined {
  if (typeof rate === 'number') return Number.isFinite(rate) && rate > 0 ? rate / 1000 : undefined;
  const match = RATE.exec(rate);
  if (!match) return undefined;
  const per = UNIT_MS[match[2]!] ?? parseDuration(match[2]!.replace(/\s+/g, ''));
  const count = Number(match[1]);
  return per && count > 0 ? count / per : undefined;
}

/** What is wrong with a declared policy's shape beyond its schema, or undefined. */
export function policyProblem(policy: DeclaredPolicy): string | undefined {
  const windowed = policy.limit !== undefined || policy.window !== undefined;
  const bucket = policy.rate !== undefined || policy.burst !== undefined;
  if (windowed && bucket) return 'give either limit and window, or rate and burst, not both';
  if (!windowed && !bucket) return 'give limit and window (10 per 1s), or rate and burst (nginx limit_req, an AWS usage plan)';
  if (windowed && (policy.limit === undefined || policy.window === undefined)) return 'limit and window go together';
  if (bucket && (policy.rate === undefined || policy.burst === undefined)) return 'rate and burst go together';
  if (bucket && parseRate(policy.rate!) === undefined) return `rate '${policy.rate}' is not a rate such as 5r/s, 30r/m, 100/2s or a number per second`;
  if (windowed && !(parseDuration(policy.window!)! > 0)) return `window '${policy.window}' must be longer than 0`;
  return undefined;
}

/**
 * The limit/window model of a declared policy. A rate and a burst describe a bucket that holds `burst` requests
 * and refills at `rate`: as the probes see it, `burst` per the time the rate takes to refill the whole burst
 * (the reference token bucket with that limit and window decides exactly so).
 */
export function policyModel(policy: DeclaredPolicy): PolicyModel {
  const problem = policyProblem(policy);
  if (problem) throw new Error(problem);
  if (policy.limit !== undefined) {
    const windowMs = parseDuration(policy.window!)!;
    return { limit: policy.limit, windowMs, described: `${policy.limit} per ${policy.window}` };
  }
  const perMs = parseRate(policy.rate!)!;
  const windowMs = policy.burst! / perMs;
  return { limit: policy.burst!, windowMs, described: `rate ${policy.rate}, burst ${policy.burst} (${policy.burst} per ${Math.round(windowMs)} ms)` };
}

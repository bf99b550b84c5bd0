import { parseDictionary, parseItem, parseList } from 'structured-headers';
import { parseRetryAfter } from '../../engine/retry-after.js';
import { clip } from '../../util/clip.js';

/**
 * Rate-limit headers as targets really send them:
 * - draft-ietf-httpapi-ratelimit-headers-06: RateLimit-Limit / -Remaining / -Reset (integers), RateLimit-Policy: 100;w=60
 * - draft-07: RateLimit: limit=100, remaining=57, reset=23 (a dictionary), RateLimit-Policy: 100;w=60
 * - draft-08 to 11: RateLimit: "name";r=57;t=23 and RateLimit-Policy: "name";q=100;w=60 (lists of named policies)
 * - legacy: X-RateLimit-Limit / -Remaining / -Reset (a delta in seconds, or an epoch in seconds or milliseconds)
 * and Retry-After (seconds or an HTTP date). Every value is parsed as an RFC 9651 structured field where the
 * draft says so, so a malformed header is reported, not guessed at.
 */

export type RateLimitFormat = 'draft-6' | 'draft-7' | 'draft-8+' | 'legacy';

export interface PolicyInfo {
  name?: string;
  quota?: number;
  windowSec?: number;
}

export interface RateLimitState {
  format: RateLimitFormat;
  limit?: number;
  remaining?: number;
  /** Seconds until the quota resets (or the next unit frees up), as the header says. */
  resetSec?: number;
  policies: PolicyInfo[];
}

export interface ParsedRateLimitHeaders {
  /** The IETF form, when any RateLimit* header was sent. */
  ietf?: RateLimitState;
  legacy?: RateLimitState;
  retryAfterSec?: number;
  problems: string[];
}

type Headers = Record<string, string | string[] | undefined>;

const one = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function policyList(text: string): PolicyInfo[] {
  return parseList(text).map(([value, params]) => {
    if (typeof value === 'string') return { name: value, quota: int(params.get('q')), windowSec: int(params.get('w')) };
    return { quota: int(value), windowSec: int(params.get('w')) };
  });
}

function parseIetf(headers: Headers, problems: string[]): RateLimitState | undefined {
  const rateLimit = one(headers, 'ratelimit');
  const policyText = one(headers, 'ratelimit-policy');
  let policies: PolicyInfo[] = [];
  if (policyText !== undefined) {
    try {
      policies = policyList(policyText);
    } catch (error) {
      problems.push(`RateLimit-Policy is not a structured-field list: ${(error as Error).message}`);
    }
  }
  if (rateLimit !== undefined) {
    try {
      const named = parseList(rateLimit).filter((item) => typeof item[0] === 'string');
      if (named.length > 0) {
        // With several policies, the one with the least remaining is the one that decides the next request.
        const remainingOf = (item: (typeof named)[number]) => int(item[1].get('r')) ?? Infinity;
        const [name, params] = named.reduce((least, item) => (remainingOf(item) < remainingOf(least) ? item : least));
        const policy = policies.find((p) => p.name === name) ?? (named.length === 1 ? policies[0] : undefined);
        return { format: 'draft-8+', remaining: int(params.get('r')), resetSec: int(params.get('t')), limit: policy?.quota, policies };
      }
    } catch {
      // not a list of named policies: try the draft-07 dictionary below
    }
    try {
      const dict = parseDictionary(rateLimit);
      const get = (key: string) => int(dict.get(key)?.[0]);
      if (dict.has('limit') || dict.has('remaining') || dict.has('reset')) {
        return { format: 'draft-7', limit: get('limit'), remaining: get('remaining'), resetSec: get('reset'), policies };
      }
    } catch {
      // fall through to the problem below
    }
    problems.push(`RateLimit '${clip(rateLimit, 80)}' is neither the draft-07 dictionary nor the draft-08+ named list`);
    return undefined;
  }
  const fields = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'] as const;
  if (fields.some((f) => one(headers, f) !== undefined)) {
    const read = (name: (typeof fields)[number]) => {
      const text = one(headers, name);
      if (text === undefined) return undefined;
      try {
        const [value, params] = parseItem(text);
        if (name === 'ratelimit-limit' && params.has('w') && policies.length === 0) policies = [{ quota: int(value), windowSec: int(params.get('w')) }];
        return int(value);
      } catch (error) {
        problems.push(`${name} is not a structured-field integer: ${(error as Error).message}`);
        return undefined;
      }
    };
    return { format: 'draft-6', limit: read('ratelimit-limit'), remaining: read('ratelimit-remaining'), resetSec: read('ratelimit-reset'), policies };
  }
  return policies.length ? { format: 'draft-6', policies } : undefined;
}

/** X-RateLimit-Reset is a delta in seconds, or an epoch instant in seconds or milliseconds: tell them apart. */
export function legacyResetSec(value: number, nowMs: number): number {
  if (value > 1e12) return (value - nowMs) / 1000;
  if (value > 1e9) return value - nowMs / 1000;
  return value;
}

function parseLegacy(headers: Headers, nowMs: number, problems: string[]): RateLimitState | undefined {
  const names = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' };
  if (!Object.values(names).some((n) => one(headers, n) !== undefined)) return undefined;
  const read = (name: string) => {
    const text = one(headers, name);
    if (text === undefined) return undefined;
    const value = text.trim() === '' ? NaN : Number(text.trim());
    if (!Number.isFinite(value)) {
      problems.push(`${name} '${clip(text, 40)}' is not a number`);
      return undefined;
    }
    return value;
  };
  const reset = read(names.reset);
  return { format: 'legacy', limit: read(names.limit), remaining: read(names.remaining), resetSec: reset === undefined ? undefined : legacyResetSec(reset, nowMs), policies: [] };
}

export function parseRateLimitHeaders(headers: Headers, nowMs = Date.now()): ParsedRateLimitHeaders {
  const problems: string[] = [];
  const retryText = one(headers, 'retry-after');
  const retryAfterSec = parseRetryAfter(retryText, nowMs);
  if (retryText !== undefined && retryAfterSec === undefined) problems.push(`Retry-After '${clip(retryText, 40)}' is neither seconds nor an HTTP date`);
  return { ietf: parseIetf(headers, problems), legacy: parseLegacy(headers, nowMs, problems), retryAfterSec, problems };
}

import { ALGORITHM_NAMES, type AlgorithmName } from '../reference/limiters/algorithms/types.js';
import type { LimiterConfig } from '../reference/limiters/create-store.js';
import { LIMITER_FLAWS } from '../reference/limiters/flaws.js';
import { HEADER_STYLES, type HeaderStyle } from '../reference/limiters/headers.js';
import { STORE_NAMES, type StoreName } from '../reference/limiters/limiter.js';
import { parseDuration } from '../util/duration.js';
import { GauntletError } from '../util/errors.js';
import { redactUrl } from '../util/redact-url.js';
import { listOption } from './parse-options.js';

export interface ServeLimiterArgs {
  limiter?: string;
  limit?: number;
  window?: string;
  burst?: number;
  queue?: number;
  store?: string;
  redisUrl?: string;
  failMode?: string;
  limitHeaders?: string[];
  workers: number;
  flaws: string[];
}

export interface ServeLimiter {
  config: LimiterConfig;
  headers: HeaderStyle[];
  failureMode: 'open' | 'closed';
}

const usage = (message: string) => new GauntletError('E_USAGE', message);

/** Turns `serve`'s limiter options into a limiter configuration, or says exactly which option is wrong. */
export function parseServeLimiter(args: ServeLimiterArgs): ServeLimiter | undefined {
  if (!Number.isInteger(args.workers) || args.workers < 1 || args.workers > 64) throw usage(`--workers expects a whole number from 1 to 64; got '${args.workers}'`);
  if (args.limiter === undefined) {
    const limiterFlaw = args.flaws.find((f) => LIMITER_FLAWS.some((l) => l.name === f));
    if (limiterFlaw) throw usage(`flaw ${limiterFlaw} changes the rate limiter; add --limiter <algorithm> --limit N`);
    const stray = (['limit', 'window', 'burst', 'queue', 'store', 'redisUrl', 'failMode'] as const).find((o) => args[o] !== undefined);
    if (stray) throw usage(`--${kebab(stray)} configures the rate limiter; add --limiter <algorithm> (${ALGORITHM_NAMES.join(', ')})`);
    return undefined;
  }
  if (!(ALGORITHM_NAMES as readonly string[]).includes(args.limiter)) throw usage(`--limiter expects one of ${ALGORITHM_NAMES.join(', ')}; got '${args.limiter}'`);
  if (args.limit === undefined || !Number.isSafeInteger(args.limit) || args.limit < 1) throw usage(`--limit expects a whole number of requests of at least 1; got '${args.limit ?? ''}'`);
  const windowMs = parseDuration(args.window ?? '60s');
  if (windowMs === undefined || windowMs <= 0) throw usage(`--window expects a duration such as 60s, 1m or 500ms; got '${args.window}'`);
  for (const [name, value] of [['burst', args.burst], ['queue', args.queue]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < (name === 'burst' ? 1 : 0))) throw usage(`--${name} expects a whole number; got '${value}'`);
  }
  const store = (args.store ?? 'memory') as StoreName;
  if (!STORE_NAMES.includes(store)) throw usage(`--store expects memory or redis; got '${args.store}'`);
  if (store === 'redis' && !args.redisUrl) throw usage('--store redis needs --redis-url redis://host:port');
  if (args.redisUrl !== undefined && !/^rediss?:\/\//.test(args.redisUrl)) throw usage(`--redis-url expects redis://host:port; got '${redactUrl(args.redisUrl)}'`);
  const failMode = args.failMode ?? 'open';
  if (failMode !== 'open' && failMode !== 'closed') throw usage(`--fail-mode expects open or closed; got '${failMode}'`);
  const headers = listOption(args.limitHeaders ?? [...HEADER_STYLES]);
  const unknownStyle = headers.find((h) => !(HEADER_STYLES as readonly string[]).includes(h));
  if (unknownStyle) throw usage(`--limit-headers expects draft and/or legacy; got '${unknownStyle}'`);
  const perWorker = args.flaws.includes('limit-per-worker');
  if (args.workers > 1 && store === 'memory' && !perWorker) {
    throw usage(
      `with --workers ${args.workers} the memory store keeps a separate count in each worker, admitting ${args.workers} x the limit; ` +
        'use --store redis for one global limit, or --flaw limit-per-worker to run that way on purpose',
    );
  }
  return {
    config: {
      algorithm: args.limiter as AlgorithmName,
      policies: [{ limit: args.limit, windowMs, burst: args.burst, queue: args.queue }],
      store,
      redisUrl: args.redisUrl,
    },
    headers: headers as HeaderStyle[],
    failureMode: failMode,
  };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

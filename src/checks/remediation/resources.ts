import type { CheckRemediation } from '../../results/model.js';
import type { Probe } from '../rate-limit/spec.js';
import { fix, type KindRemediation } from './types.js';

const ADD_LIMIT = fix('Limit how many requests each client may make per window and answer the excess with 429 and Retry-After, before the request reaches the handler.', {
  nginx: 'limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s; limit_req zone=api burst=20 nodelay; limit_req_status 429;',
  Express: "app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-8' })) (express-rate-limit)",
  Kong: 'rate-limiting plugin config.minute = 100 (config.limit_by = consumer or ip)',
  'AWS API Gateway': 'usage plan throttle (rateLimit, burstLimit) per API key, or stage throttlingRateLimit',
});

const SHARED_COUNTER = fix('Count requests in one store shared by every instance, updated atomically, so replicas and concurrent requests cannot each spend the whole quota.', {
  nginx: 'limit_req zones live in one nginx instance: enforce the limit at one shared gateway, or divide it by the number of instances',
  Express: 'express-rate-limit with a shared store (rate-limit-redis), or rate-limiter-flexible RateLimiterRedis',
  Kong: 'rate-limiting config.policy = redis (not local) for several Kong nodes',
  'AWS API Gateway': 'throttling is enforced by the gateway across instances: remove limits kept in the backends',
});

const KEY_PER_CLIENT = fix('Give each client its own quota, keyed by its credential (then by address for anonymous traffic): one client exhausting its quota must not refuse another.', {
  nginx: 'limit_req_zone $http_x_api_key zone=per_key:10m rate=10r/s; (and a $binary_remote_addr zone for requests without a key)',
  Express: "rateLimit({ keyGenerator: (req) => req.get('x-api-key') ?? req.ip })",
  Kong: 'rate-limiting config.limit_by = consumer (credential)',
  'AWS API Gateway': 'a usage plan per API key',
});

const TRUSTED_PROXIES_ONLY = fix('Key limits by the client address your own proxies saw, never by an X-Forwarded-For value a client can write afresh on each request.', {
  nginx: 'set_real_ip_from <your proxies>; real_ip_header X-Forwarded-For; (then limit by $binary_remote_addr)',
  Express: "app.set('trust proxy', 'loopback') or your proxies' addresses, never true",
  Kong: 'trusted_ips = <your proxies> in kong.conf; rate-limiting config.limit_by = ip',
});

export const RATE_LIMIT_REMEDIATIONS: KindRemediation = {
  check: ADD_LIMIT,
  cases: {
    discovery: ADD_LIMIT,
    'retry-after': fix('Send Retry-After with each 429, saying when the quota is back.', {
      nginx: 'limit_req sends no Retry-After: error_page 429 @limited; location @limited { add_header Retry-After 1 always; return 429; }',
      Express: 'express-rate-limit sends Retry-After; a custom handler must set it too',
      Kong: 'rate-limiting sends Retry-After on 429 (keep config.hide_client_headers = false)',
      'AWS API Gateway': 'gateway response THROTTLED: add a Retry-After response header',
    }),
    'header-truth': fix('Make the RateLimit headers tell the truth: remaining falls by one per admitted request, reaches 0 at the first refusal, and the limit is the one enforced.', {
      Express: "express-rate-limit standardHeaders: 'draft-8' reports the counter it enforces",
      Kong: 'rate-limiting reports its own counters: do not add static RateLimit headers elsewhere',
    }),
    boundary: fix('Use a sliding window, token bucket or GCRA: a fixed window admits up to twice the limit in a burst straddling its boundary.', {
      nginx: 'limit_req is a leaky bucket already (no boundary burst)',
      Express: 'rate-limiter-flexible with a short duration and blockDuration, or a token-bucket store, instead of a fixed window',
      Kong: 'rate-limiting-advanced config.window_type = sliding',
    }),
    refill: fix('Give the quota back at the declared rate: check the window length and refill rate the limiter is configured with against the documented policy.'),
    isolation: KEY_PER_CLIENT,
    'refused-counted': fix("Do not count refused (429) requests against the quota, or a client that retries too early never gets back in.", {
      Express: 'express-rate-limit skipFailedRequests: true (answers with status >= 400, the 429 included, are not counted)',
    }),
    concurrency: SHARED_COUNTER,
    replicas: SHARED_COUNTER,
    fingerprint: fix("Configure the limiter with the algorithm the API documents, or document the one it uses: clients pace their retries by it."),
    'guessed-keys': fix('Limit requests with unknown keys by client address before looking keys up, so made-up keys do not each get a fresh quota.', {
      nginx: 'limit_req_zone $binary_remote_addr for the API location, in addition to the per-key zone',
      Express: 'a rateLimit keyed by req.ip in front of the key check',
      Kong: 'rate-limiting with config.limit_by = ip on the route, beside the per-consumer limit',
    }),
    'key-placement': fix('Read the key from one place and count it there: the same key sent in another header or the query must not get a quota of its own.', {
      Kong: 'key-auth config.key_in_query = false and a single entry in config.key_names',
    }),
    'forwarded-for': TRUSTED_PROXIES_ONLY,
  } satisfies Record<Probe, CheckRemediation>,
};

export const LOAD_REMEDIATIONS: KindRemediation = {
  check: fix('Under the load tested, the API missed its latency or error bounds: find the saturated resource (CPU, connection pool, database), raise capacity or cache, and shed excess load with 429 or 503 rather than slowing every request.', {
    nginx: 'keepalive to the upstreams, proxy_read_timeout, and limit_conn / limit_req to shed excess load',
    Express: 'a bounded database pool, server.keepAliveTimeout above the load balancer idle timeout, and load shedding (e.g. 503 when the event loop lags)',
    Kong: 'upstream keepalive settings and a rate-limiting plugin sized to the capacity measured',
    'AWS API Gateway': 'stage throttling below what the backend sustains; provisioned concurrency for Lambda backends',
  }),
};

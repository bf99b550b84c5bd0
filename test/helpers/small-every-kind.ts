import { EVERY_KIND } from './every-kind.js';

/**
 * One check of every kind, as EVERY_KIND, but sized for a fuzzer that runs each hundreds of times: fewer samples,
 * a short load, a rate limit with a short window and a tight time budget. Same profile (everyKindProfile).
 */
export const SMALL_EVERY_KIND: Record<string, string> = {
  ...EVERY_KIND,
  'api-key': '{ id: k.api-key, kind: api-key, severity: high, request: { path: /api/data }, lifecycle: { graceTolerance: 100ms, revocationWithin: 200ms, pollInterval: 50ms } }',
  'api-key-timing': '{ id: k.api-key-timing, kind: api-key-timing, severity: low, request: { path: /api/data }, samples: 20, warmup: 0, repeat: 1, maxDuration: 1s }',
  headers: `{ id: k.headers, kind: headers, severity: medium, responses: { success: { request: { path: /api/data, key: valid } }, rate-limited: { request: { path: /api/search, key: valid }, burst: { max: 8, within: 300ms, concurrency: 4, cooldownMax: 200ms } } } }`,
  'rate-limit': '{ id: k.rate-limit, kind: rate-limit, severity: high, request: { path: /api/search, key: rl1 }, policy: { limit: 3, window: 200ms, keys: [rl2, rl3] }, maxDuration: 2s, maxRequests: 150 }',
  load: '{ id: k.load, kind: load, severity: medium, request: { path: /api/search, key: rl-load }, load: { connections: 1, duration: 200ms }, expect: { refusedShare: { min: 0.9 } } }',
};

/**
 * Other checks of some kinds, for code paths the one above leaves out: every expectation of the http kind and the
 * captures, the other burst transports and a bucket policy of the rate-limit kind, pipelined and paced load.
 */
export const SMALL_KIND_VARIANTS: Record<string, string[]> = {
  http: [
    `{ id: k.http-expect, kind: http, severity: high, request: { method: POST, path: /api/data, key: valid, body: { json: { a: 1 } } }, expect: { status: [2xx, 401, "300-399"], headers: { content-type: { matches: "json" }, x-ratelimit-remaining: { present: true }, set-cookie: { contains: HttpOnly }, retry-after: { absent: true } }, json: { "$.ok": true, "$.data[0].id": { type: integer }, "/a/a/a": { exists: true }, "$.key": { matches: "^gk_" }, "$": { contains: { ok: true } } }, body: { not-contains: [secret], matches: "\\\\{" }, maxLatencyMs: 250 }, capture: { created: { json: "$.key" }, moved: { header: location } } }`,
    '{ id: k.http-tls, kind: http, severity: high, request: { path: / }, expect: { tls: rejected } }',
  ],
  'rate-limit': [
    '{ id: k.rate-limit-pipelined, kind: rate-limit, severity: high, request: { path: /api/search, key: rl1 }, policy: { limit: 3, window: 200ms, keys: [rl2, rl3] }, transport: pipelined, maxDuration: 2s, maxRequests: 150 }',
    '{ id: k.rate-limit-bucket, kind: rate-limit, severity: high, request: { path: /api/search, key: rl1 }, policy: { rate: 10, burst: 3, algorithm: token-bucket, keyedOn: ip }, transport: sequential, maxDuration: 2s, maxRequests: 150 }',
  ],
  load: ['{ id: k.load-pipelined, kind: load, severity: medium, request: { path: /api/search }, load: { connections: 2, pipelining: 4, duration: 200ms }, limit: { limit: 3, window: 200ms }, expect: { errorShare: { max: 0 }, latency: { admitted: { p95: 50ms } } } }'],
};

/** Every check above, as (scenario name, kind, check) for a scenario file each. */
export function smallChecks(): { name: string; kind: string; check: string }[] {
  return Object.entries(SMALL_EVERY_KIND).flatMap(([kind, check]) => [
    { name: kind, kind, check },
    ...(SMALL_KIND_VARIANTS[kind] ?? []).map((variant, i) => ({ name: `${kind}-variant-${i + 1}`, kind, check: variant })),
  ]);
}

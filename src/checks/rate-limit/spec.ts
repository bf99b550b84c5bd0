import { ALGORITHM_NAMES, type AlgorithmName } from '../../reference/limiters/algorithms/index.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { TRANSPORTS, type Transport } from '../../engine/burst.js';
import { RATE_PATTERN } from './policy.js';
import { requestSchema } from '../request-schema.js';

export const PROBES = [
  'discovery',
  'retry-after',
  'header-truth',
  'boundary',
  'refill',
  'isolation',
  'refused-counted',
  'concurrency',
  'replicas',
  'fingerprint',
  'guessed-keys',
  'key-placement',
  'forwarded-for',
] as const;
export type Probe = (typeof PROBES)[number];

export const KEYED_ON = ['key', 'identity', 'ip', 'global'] as const;

/** A limit as the target declares it (in the profile's rateLimits section, or inline in a check). */
export interface DeclaredPolicy {
  /** Requests per window; or `rate` and `burst`, the way a bucket (nginx limit_req, an AWS usage plan) is written. */
  limit?: number;
  window?: string | number;
  /** Requests per second (a number), or `5r/s`, `30r/m`, `100/2s`. */
  rate?: string | number;
  /** How many requests a full bucket admits at once. */
  burst?: number;
  /** What the target says it runs; the fingerprint fails when the observed behaviour contradicts it. */
  algorithm?: AlgorithmName;
  keyedOn?: (typeof KEYED_ON)[number];
  /** Callers with a quota of their own, as profile API key names: each probe takes a fresh one instead of waiting. */
  keys?: string[];
  /** Callers as profile client identities (for limits keyed on the client certificate). */
  identities?: string[];
  /** gauntlet reaches the target through a proxy it trusts to set X-Forwarded-For: the forwarded-for probe is skipped. */
  trustedProxy?: boolean;
  /** How long an exhausted client must stay quiet to have its whole quota back (default 2 x window). */
  recovery?: string | number;
  /** Statuses that mean "refused by the limiter" (default [429]). */
  refusedStatus?: number[];
}

export interface RateLimitSpec extends CheckSpecBase {
  request: HttpRequestSpec;
  /** A name in the profile's rateLimits section, or the policy itself. */
  policy: string | DeclaredPolicy;
  probes?: Probe[];
  /** How bursts travel (default parallel: one request in flight per connection over connections opened first). */
  transport?: Transport;
  /** Statuses that count as admitted (default 2xx; a redirect is neither admitted nor refused). */
  admittedStatus?: StatusExpectation;
  /** Extra admitted requests forgiven when comparing against the limit (default: 5% of it, at least 1). */
  tolerance?: number;
  /** Waits (as fractions of the window) after which the refill probe bursts again (default [0.25, 0.5, 1]). */
  refillAt?: number[];
  /** Bounds for the whole check (defaults: 40 x limit + 400 requests, 60 x window + 60 s). */
  maxRequests?: number;
  maxDuration?: string | number;
  severities?: Partial<Record<Probe, string>>;
}

export const declaredPolicySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  dependencies: { limit: ['window'], window: ['limit'], rate: ['burst'], burst: ['rate'] },
  examples: [{ limit: 100, window: '1m', keyedOn: 'key' }, { rate: '5r/s', burst: 10, algorithm: 'token-bucket' }],
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 10_000, description: 'Requests admitted per `window`.', examples: [100] },
    window: { ...durationSchema, description: 'The window `limit` counts over.', examples: ['1m', '10s'] },
    rate: {
      description: 'Requests per second (a number), or `5r/s`, `30r/m`, `100/2s`: with `burst`, instead of `limit` and `window`.',
      anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: RATE_PATTERN }],
      examples: ['5r/s', '30r/m', 2.5],
    },
    burst: { type: 'integer', minimum: 1, maximum: 10_000, description: 'How many requests a full bucket admits at once.', examples: [10] },
    algorithm: {
      enum: [...ALGORITHM_NAMES],
      description: 'What the target says it runs; the `fingerprint` probe fails when the observed behaviour contradicts it.',
    },
    keyedOn: { enum: [...KEYED_ON], description: 'What the limit counts per: each API key, each client identity, each source address, or all callers together.' },
    keys: { type: 'array', items: { type: 'string' }, description: 'Callers: profile API keys with a quota of their own, one per probe.', examples: [['quota-1', 'quota-2', 'quota-3']] },
    identities: { type: 'array', items: { type: 'string' }, description: 'Callers: profile client identities with a quota of their own.', examples: [['client-a', 'client-b']] },
    trustedProxy: {
      type: 'boolean',
      default: false,
      description: 'gauntlet reaches the target through a proxy trusted to set `X-Forwarded-For`: the `forwarded-for` probe is skipped.',
      examples: [true],
    },
    recovery: { ...durationSchema, description: 'How long an exhausted client must stay quiet to have its whole quota back (default 2 x window).', examples: ['2m'] },
    refusedStatus: {
      type: 'array',
      minItems: 1,
      items: { type: 'integer', minimum: 100, maximum: 599 },
      default: [429],
      description: 'Statuses that mean "refused by the limiter" (default `[429]`).',
      examples: [[429, 503]],
    },
  },
};

export const rateLimitProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  policy: {
    description: 'The limit under test: a name in the profile `rateLimits` section, or `{ limit, window, algorithm?, keyedOn?, keys? }`.',
    anyOf: [{ type: 'string' }, declaredPolicySchema],
    examples: ['api', { limit: 100, window: '1m' }],
  },
  probes: {
    type: 'array',
    uniqueItems: true,
    items: { enum: [...PROBES] },
    description: 'Run only these probes (default: all; a probe whose callers or replicas are missing is skipped with the reason).',
    examples: [['discovery', 'boundary', 'refill'], ['retry-after', 'header-truth']],
  },
  transport: {
    enum: [...TRANSPORTS],
    default: 'parallel',
    description: 'How bursts travel: `parallel` (default: one request in flight per connection, over connections opened first), `pipelined`, or `sequential`.',
  },
  admittedStatus: { ...statusSchema, default: '2xx', description: `Statuses that count as admitted (default 2xx; a redirect is neither admitted nor refused). ${String(statusSchema.description)}` },
  tolerance: { type: 'integer', minimum: 0, description: 'Extra admitted requests forgiven when comparing against the limit (default: 5% of it, at least 1).', examples: [2] },
  refillAt: {
    type: 'array',
    minItems: 1,
    maxItems: 8,
    items: { type: 'number', exclusiveMinimum: 0, maximum: 3 },
    default: [0.25, 0.5, 1],
    description: 'Waits, as fractions of the window, after which the `refill` probe bursts again (default `[0.25, 0.5, 1]`).',
    examples: [[0.5, 1, 2]],
  },
  maxRequests: { type: 'integer', minimum: 10, maximum: 100_000, description: 'The most requests the whole check may send (default 40 x limit + 400).', examples: [2000] },
  maxDuration: { ...durationSchema, description: 'The longest the whole check may take (default 60 x window + 60 s).', examples: ['5m'] },
  severities: severitiesSchema(PROBES),
};

export const rateLimitProfileProperties: Record<string, JsonSchema> = {
  rateLimits: {
    type: 'object',
    description: 'The rate limits the target declares, by name, for rate-limit checks (`policy: <name>`).',
    examples: [{ api: { limit: 100, window: '1m', keyedOn: 'key' }, login: { limit: 5, window: '15m', keyedOn: 'ip' } }],
    additionalProperties: declaredPolicySchema,
  },
};

import { ALGORITHM_NAMES, type AlgorithmName } from '../../reference/limiters/algorithms/index.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
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
] as const;
export type Probe = (typeof PROBES)[number];

export const KEYED_ON = ['key', 'identity', 'ip', 'global'] as const;

/** A limit as the target declares it (in the profile's rateLimits section, or inline in a check). */
export interface DeclaredPolicy {
  limit: number;
  window: string | number;
  /** What the target says it runs; the fingerprint fails when the observed behaviour contradicts it. */
  algorithm?: AlgorithmName;
  keyedOn?: (typeof KEYED_ON)[number];
  /** API keys (profile names) that start with a whole quota: each probe takes a fresh one instead of waiting. */
  keys?: string[];
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
  required: ['limit', 'window'],
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 10_000 },
    window: durationSchema,
    algorithm: { enum: [...ALGORITHM_NAMES] },
    keyedOn: { enum: [...KEYED_ON] },
    keys: { type: 'array', items: { type: 'string' }, description: 'Profile API keys with a fresh quota, one per probe.' },
    recovery: durationSchema,
    refusedStatus: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
  },
};

export const rateLimitProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  policy: {
    description: 'The limit under test: a name in the profile rateLimits section, or { limit, window, algorithm?, keyedOn?, keys? }.',
    anyOf: [{ type: 'string' }, declaredPolicySchema],
  },
  probes: { type: 'array', uniqueItems: true, items: { enum: [...PROBES] } },
  tolerance: { type: 'integer', minimum: 0 },
  refillAt: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'number', exclusiveMinimum: 0, maximum: 3 } },
  maxRequests: { type: 'integer', minimum: 10, maximum: 100_000 },
  maxDuration: durationSchema,
  severities: severitiesSchema(PROBES),
};

export const rateLimitProfileProperties: Record<string, JsonSchema> = {
  rateLimits: {
    type: 'object',
    description: 'The rate limits the target declares, by name, for rate-limit checks (policy: <name>).',
    additionalProperties: declaredPolicySchema,
  },
};

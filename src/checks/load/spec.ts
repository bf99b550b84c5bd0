import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { statusSchema, type HttpRequestSpec, type StatusExpectation } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

export interface LatencyThresholds {
  p50?: number | string;
  p95?: number | string;
  p99?: number | string;
}

export interface LoadSpec extends CheckSpecBase {
  request: HttpRequestSpec;
  load: { connections?: number; duration?: string | number; amount?: number; rate?: number; pipelining?: number };
  /** Statuses that mean "refused by the rate limiter" (default [429]). */
  refusedStatus?: number[];
  /** Statuses that count as admitted (default 2xx; a redirect is "other"). */
  admittedStatus?: StatusExpectation;
  /** The limit the target declares, drawn on the timeline: written here, or a rate limit of the profile by name. */
  limit?: { limit: number; window: string | number } | string;
  expect?: {
    /** `target: limit` is the declared limit's rate per second. */
    admittedRate?: { target: number | 'limit'; tolerance?: number | string };
    refusedShare?: { min?: number; max?: number };
    otherNon2xxShare?: { max: number };
    errorShare?: { max: number };
    latency?: { admitted?: LatencyThresholds; refused?: LatencyThresholds };
  };
}

const share: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const latency: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { p50: durationSchema, p95: durationSchema, p99: durationSchema },
};

export const loadProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  load: {
    type: 'object',
    additionalProperties: false,
    description: 'Sustained load: bounded by duration (default 5s, at most 15m) and/or amount (at most 5 000 000).',
    properties: {
      connections: { type: 'integer', minimum: 1, maximum: 1000 },
      duration: durationSchema,
      amount: { type: 'integer', minimum: 1, maximum: 5_000_000 },
      rate: { type: 'integer', minimum: 1, description: 'Requests per second across all connections (whole, as autocannon paces whole requests per connection).' },
      pipelining: { type: 'integer', minimum: 1, maximum: 64 },
    },
  },
  refusedStatus: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, minItems: 1 },
  admittedStatus: statusSchema,
  limit: {
    description: 'The limit the target declares: { limit, window }, or the name of a rate limit of the profile (rateLimits).',
    anyOf: [
      { type: 'object', additionalProperties: false, required: ['limit', 'window'], properties: { limit: { type: 'integer', minimum: 1 }, window: durationSchema } },
      { type: 'string', minLength: 1 },
    ],
  },
  expect: {
    type: 'object',
    additionalProperties: false,
    properties: {
      admittedRate: {
        type: 'object',
        additionalProperties: false,
        required: ['target'],
        description: 'Admitted (2xx, or admittedStatus) responses per second; tolerance as a fraction (0.1) or a percentage ("10%").',
        properties: { target: { anyOf: [{ type: 'number', minimum: 0 }, { const: 'limit' }], description: 'Responses per second, or limit: the declared limit per second.' }, tolerance: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?%$' }] } },
      },
      refusedShare: { type: 'object', additionalProperties: false, properties: { min: share, max: share } },
      otherNon2xxShare: { type: 'object', additionalProperties: false, required: ['max'], properties: { max: share } },
      errorShare: { type: 'object', additionalProperties: false, required: ['max'], properties: { max: share } },
      latency: { type: 'object', additionalProperties: false, properties: { admitted: latency, refused: latency } },
    },
  },
};

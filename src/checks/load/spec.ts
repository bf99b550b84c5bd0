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
  /** Stop the load early (every worker, within 2 s) when the data so far breaks one of these: the check fails. */
  abort?: {
    admitted?: { max: number };
    errorShare?: { max: number };
    otherNon2xxShare?: { max: number };
    latency?: { admitted?: LatencyThresholds; refused?: LatencyThresholds };
    /** Not judged before this much of the run has passed (default 1 s). */
    after?: string | number;
  };
}

const share = (description: string, example: number): JsonSchema => ({ type: 'number', minimum: 0, maximum: 1, description, examples: [example] });

const percentile = (p: string): JsonSchema => ({ ...durationSchema, description: `The ${p} latency must be at most this.`, examples: ['250ms'] });

const latency = (whose: string): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  description: `Latency percentiles ${whose} must stay within.`,
  examples: [{ p50: '50ms', p99: '500ms' }],
  properties: { p50: percentile('median'), p95: percentile('95th percentile'), p99: percentile('99th percentile') },
});

/** `{ max }`: at most this share of the responses or requests. */
const maxShare = (description: string, example: number): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['max'],
  description,
  examples: [{ max: example }],
  properties: { max: share('At most this share.', example) },
});

/** Latency limits of admitted and of refused responses. */
const latencies = (description: string, example: JsonSchema): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  description,
  examples: [example],
  properties: { admitted: latency('admitted responses'), refused: latency('refused responses') },
});

export const loadProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  load: {
    type: 'object',
    additionalProperties: false,
    description: 'Sustained load: bounded by duration (default `5s`, at most `15m`) and/or amount (at most 5 000 000).',
    examples: [{ connections: 20, duration: '30s', rate: 500 }],
    properties: {
      connections: { type: 'integer', minimum: 1, maximum: 1000, default: 10, description: 'Connections kept open, each with its requests in flight (default 10).', examples: [50] },
      duration: { ...durationSchema, default: '5s', description: 'How long the load lasts (default `5s`, at most `15m`).', examples: ['30s', '2m'] },
      amount: { type: 'integer', minimum: 1, maximum: 5_000_000, description: 'Requests sent in all, instead of (or as well as) a duration.', examples: [10000] },
      rate: {
        type: 'integer',
        minimum: 1,
        description: 'Requests per second across all connections (whole, as autocannon paces whole requests per connection).',
        examples: [200],
      },
      pipelining: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Requests in flight on each connection (default 1).', examples: [4] },
    },
  },
  refusedStatus: {
    type: 'array',
    items: { type: 'integer', minimum: 100, maximum: 599 },
    minItems: 1,
    default: [429],
    description: 'Statuses that mean "refused by the rate limiter" (default `[429]`).',
    examples: [[429, 503]],
  },
  admittedStatus: { ...statusSchema, default: '2xx', description: `Statuses that count as admitted (default 2xx; a redirect is "other"). ${String(statusSchema.description)}` },
  limit: {
    description: 'The limit the target declares, drawn on the timeline of the report: `{ limit, window }`, or the name of a rate limit of the profile (`rateLimits`).',
    examples: [{ limit: 100, window: '1m' }, 'search'],
    anyOf: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['limit', 'window'],
        properties: {
          limit: { type: 'integer', minimum: 1, description: 'Requests admitted per window.', examples: [100] },
          window: { ...durationSchema, description: 'The window the limit counts over.', examples: ['1m'] },
        },
      },
      { type: 'string', minLength: 1, description: 'The name of a rate limit the profile declares (rateLimits).', examples: ['search'] },
    ],
  },
  expect: {
    type: 'object',
    additionalProperties: false,
    description: 'What the run must show. Without it: at most 1% transport errors and 1% statuses neither admitted nor refused.',
    examples: [{ admittedRate: { target: 100, tolerance: '10%' }, errorShare: { max: 0 }, latency: { admitted: { p99: '300ms' } } }],
    properties: {
      admittedRate: {
        type: 'object',
        additionalProperties: false,
        required: ['target'],
        description: 'Admitted (2xx, or `admittedStatus`) responses per second; tolerance as a fraction (`0.1`) or a percentage (`"10%"`).',
        examples: [{ target: 100, tolerance: '10%' }],
        properties: {
          target: {
            anyOf: [{ type: 'number', minimum: 0 }, { const: 'limit' }],
            description: 'The admitted rate expected, per second; `limit` is the declared limit, as a rate.',
            examples: [100, 'limit'],
          },
          tolerance: {
            anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?%$' }],
            default: '10%',
            description: 'How far the admitted rate may be from the target, as a fraction of it or a percentage (default `10%`).',
            examples: [0.05, '10%'],
          },
        },
      },
      refusedShare: {
        type: 'object',
        additionalProperties: false,
        description: 'The share of responses refused by the limiter (0 to 1).',
        examples: [{ min: 0.3 }],
        properties: { min: share('At least this share refused.', 0.3), max: share('At most this share refused.', 0.05) },
      },
      otherNon2xxShare: maxShare('The share of responses neither admitted nor refused (errors, redirects).', 0.01),
      errorShare: maxShare('The share of requests that failed below HTTP (resets, timeouts).', 0),
      latency: latencies('Latency percentiles, of admitted and of refused responses.', { admitted: { p99: '300ms' }, refused: { p99: '50ms' } }),
    },
  },
  abort: {
    type: 'object',
    additionalProperties: false,
    description:
      'Stop the load early when the responses so far (merged across workers) break one of these, checked about once a second: every worker stops within 2 s and the check fails, saying which. Only what a partial run can already break for good: admissions, shares of bad answers, latency.',
    examples: [{ errorShare: { max: 0.05 }, latency: { admitted: { p99: '2s' } }, after: '2s' }, { admitted: { max: 5000 } }],
    properties: {
      admitted: {
        type: 'object',
        additionalProperties: false,
        required: ['max'],
        description: 'More admitted responses than this, in all: the limit is plainly not enforced, no need to go on.',
        examples: [{ max: 5000 }],
        properties: { max: { type: 'integer', minimum: 0, description: 'The most admitted responses before the run stops.', examples: [5000] } },
      },
      errorShare: maxShare('The share of requests that failed below HTTP so far.', 0.05),
      otherNon2xxShare: maxShare('The share of responses neither admitted nor refused so far.', 0.1),
      latency: latencies('Latency percentiles so far, of admitted and of refused responses.', { admitted: { p99: '2s' } }),
      after: { ...durationSchema, default: '1s', description: 'Judge nothing before this much of the run has passed (default `1s`).', examples: ['2s'] },
    },
  },
};

import type { Severity } from '../../results/model.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';
import { RULE_CLASSES, type ClassRules, type RuleClass } from './class-rules.js';
import { SAFE_REFERRER_POLICIES } from './rules.js';

export const RESPONSE_CLASSES = ['success', 'unauthorized', 'not-found', 'rate-limited'] as const;
export type ResponseClass = (typeof RESPONSE_CLASSES)[number];

export const HEADERS_CASES = [...RESPONSE_CLASSES, 'hsts', 'hsts-max-age', 'no-version-leak'] as const;
export type HeadersCase = (typeof HEADERS_CASES)[number];

export interface ResponseClassSpec {
  request?: HttpRequestSpec;
  /** The response answers an authenticated request: it must not be cached (Cache-Control: no-store). */
  authenticated?: boolean;
}

export interface BurstSpec {
  /** Requests sent at most (default 100). */
  max?: number;
  /** Time budget for starting them (default 5s). */
  within?: string | number;
  /** Requests in flight at once (default 5). */
  concurrency?: number;
  /** After the 429, wait out its Retry-After up to this long, so later checks are not throttled (default 5s). */
  cooldownMax?: string | number;
}

export interface HeadersSpec extends CheckSpecBase {
  /** How to get each class of response; `false` turns a class off. */
  responses?: {
    success?: ResponseClassSpec;
    unauthorized?: ResponseClassSpec | false;
    'not-found'?: ResponseClassSpec | false;
    'rate-limited'?: (ResponseClassSpec & { burst?: BurstSpec }) | false;
  };
  require?: {
    hsts?: false | { minMaxAge?: number; recommendedMaxAge?: number; includeSubDomains?: boolean; preload?: boolean };
    contentTypeOptions?: boolean;
    framing?: boolean;
    referrerPolicy?: false | string[];
    cacheControl?: boolean;
    contentType?: boolean;
    xssProtection?: boolean;
    noVersionLeak?: boolean;
  };
  /** Rules for one class of answer, overriding `require` for it alone. */
  classes?: Partial<Record<RuleClass, ClassRules>>;
  severities?: Partial<Record<HeadersCase, Severity>>;
  cases?: HeadersCase[];
}

/**
 * The rules judged on each response, which require sets for all (every rule on by default) and classes for one
 * class of answer (a rule left out there is as require says, so no default).
 */
function perResponseRules(defaults: boolean): Record<string, JsonSchema> {
  const rule = (description: string, example: boolean): JsonSchema => ({
    type: 'boolean',
    description,
    examples: [example],
    ...(defaults ? { default: true } : {}),
  });
  return {
    contentTypeOptions: rule('`X-Content-Type-Options: nosniff`.', false),
    framing: rule('`X-Frame-Options: DENY`/`SAMEORIGIN` or CSP `frame-ancestors`.', false),
    referrerPolicy: {
      anyOf: [{ const: false }, { type: 'array', minItems: 1, items: { type: 'string' } }],
      description: `The allowed \`Referrer-Policy\` values, or \`false\` (default: ${SAFE_REFERRER_POLICIES.map((p) => `\`${p}\``).join(', ')}).`,
      examples: [['no-referrer', 'same-origin'], false],
      ...(defaults ? { default: SAFE_REFERRER_POLICIES } : {}),
    },
    cacheControl: rule('`Cache-Control: no-store` on authenticated responses.', false),
    contentType: rule('A `Content-Type` on any body, with a charset for `text/*`.', false),
    xssProtection: rule('`X-XSS-Protection` absent or `0`.', false),
    noVersionLeak: rule('`Server` names no version; no `X-Powered-By`, `X-AspNet-Version`, `X-AspNetMvc-Version`.', false),
  };
}

const CLASS_DESCRIPTIONS: Record<RuleClass, string> = {
  success: 'every 2xx answer',
  'client-error': 'every 4xx answer (a gateway error page, a refusal)',
  'server-error': 'every 5xx answer',
  'rate-limited': 'every 429 answer',
  unauthorized: 'the answer to the request without credentials',
  'not-found': 'the answer to the unknown path',
};

const responseClass = (description: string, example: Record<string, unknown>, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  description,
  examples: [example],
  properties: {
    request: requestSchema,
    authenticated: { type: 'boolean', description: 'An authenticated response: it must carry `Cache-Control: no-store`.', examples: [true] },
    ...extra,
  },
});

/** A class of response the check may leave out with `false`. */
const optionalClass = (description: string, example: Record<string, unknown>, extra: Record<string, JsonSchema> = {}): JsonSchema => {
  const { description: _d, examples: _e, ...shape } = responseClass(description, example, extra);
  return { description: `${description} \`false\` leaves it out.`, examples: [example, false], anyOf: [{ const: false }, shape] };
};

const burstSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'How to provoke a 429: requests until one is refused, bounded in count and time.',
  examples: [{ max: 200, within: '10s' }],
  properties: {
    max: { type: 'integer', minimum: 1, maximum: 10_000, default: 100, description: 'Requests sent at most (default 100).', examples: [200] },
    within: { ...durationSchema, default: '5s', description: 'Time budget for starting them (default `5s`).', examples: ['10s'] },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 5, description: 'Requests in flight at once (default 5).', examples: [10] },
    cooldownMax: {
      ...durationSchema,
      default: '5s',
      description: "After the 429, wait out its `Retry-After` up to this long, so later checks are not throttled (default `5s`).",
      examples: ['30s'],
    },
  },
};

export const headersProperties: Record<string, JsonSchema> = {
  responses: {
    type: 'object',
    additionalProperties: false,
    description:
      'How to provoke each class of response. Defaults: `success` `GET /`, `unauthorized` the same without API key, `not-found` an unknown path; `rate-limited` only when configured.',
    examples: [{ success: { request: { path: '/api/me' }, authenticated: true }, 'not-found': false }],
    properties: {
      success: responseClass('The request whose 2xx answer is judged (default `GET /`).', { request: { path: '/api/me' }, authenticated: true }),
      unauthorized: optionalClass('The request whose refusal is judged (default: the success request without its API key).', { request: { path: '/api/me', key: 'none' } }),
      'not-found': optionalClass('The request whose 404 is judged (default: an unknown path).', { request: { path: '/no-such-page' } }),
      'rate-limited': optionalClass(
        'The request repeated until it is refused with 429, whose answer is judged (off unless given).',
        { request: { path: '/api/search' }, burst: { max: 200 } },
        { burst: burstSchema },
      ),
    },
  },
  require: {
    type: 'object',
    additionalProperties: false,
    description: 'What each response must carry (every rule on by default).',
    examples: [{ hsts: { includeSubDomains: true }, framing: false }],
    properties: {
      hsts: {
        description: '`Strict-Transport-Security` on the success response of an https target, or `false` for no requirement.',
        examples: [{ minMaxAge: 31536000, includeSubDomains: true }, false],
        anyOf: [
          { const: false },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              minMaxAge: { type: 'integer', minimum: 0, default: 15552000, description: 'Seconds; below fails (default 15552000, 180 days).', examples: [31536000] },
              recommendedMaxAge: {
                type: 'integer',
                minimum: 0,
                default: 31536000,
                description: 'Seconds; below is a low finding (default 31536000, one year).',
                examples: [63072000],
              },
              includeSubDomains: { type: 'boolean', default: false, description: 'The policy must carry `includeSubDomains`.', examples: [true] },
              preload: { type: 'boolean', default: false, description: 'The policy must carry `preload`.', examples: [true] },
            },
          },
        ],
      },
      ...perResponseRules(true),
    },
  },
  classes: {
    type: 'object',
    additionalProperties: false,
    description:
      'Rules for one class of answer, overriding `require` for it alone (the most specific class wins): `success` (2xx), `client-error` (4xx), `server-error` (5xx), `rate-limited` (429), and the answers the `unauthorized` and `not-found` cases provoke.',
    examples: [{ 'client-error': { cacheControl: false }, 'not-found': { contentType: false } }],
    properties: Object.fromEntries(
      RULE_CLASSES.map((cls) => [
        cls,
        {
          type: 'object',
          additionalProperties: false,
          description: `Rules for ${CLASS_DESCRIPTIONS[cls]}; HSTS is judged on the success response only (\`require.hsts\`).`,
          examples: [{ cacheControl: false }],
          properties: perResponseRules(false),
        },
      ]),
    ),
  },
  severities: severitiesSchema(HEADERS_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...HEADERS_CASES] },
    description: 'Run only these cases.',
    examples: [['success', 'hsts'], ['no-version-leak']],
  },
};

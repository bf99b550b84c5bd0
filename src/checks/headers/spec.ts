import type { Severity } from '../../results/model.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';
import { RULE_CLASSES, type ClassRules, type RuleClass } from './class-rules.js';

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

/** The rules judged on each response, which require sets for all and classes for one class of answer. */
const perResponseRules: Record<string, JsonSchema> = {
  contentTypeOptions: { type: 'boolean', description: 'X-Content-Type-Options: nosniff.' },
  framing: { type: 'boolean', description: 'X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors.' },
  referrerPolicy: { anyOf: [{ const: false }, { type: 'array', minItems: 1, items: { type: 'string' } }], description: 'The allowed Referrer-Policy values, or false.' },
  cacheControl: { type: 'boolean', description: 'Cache-Control: no-store on authenticated responses.' },
  contentType: { type: 'boolean', description: 'A Content-Type on any body, with a charset for text/*.' },
  xssProtection: { type: 'boolean', description: 'X-XSS-Protection absent or 0.' },
  noVersionLeak: { type: 'boolean', description: 'Server names no version; no X-Powered-By, X-AspNet-Version, X-AspNetMvc-Version.' },
};

const CLASS_DESCRIPTIONS: Record<RuleClass, string> = {
  success: 'every 2xx answer',
  'client-error': 'every 4xx answer (a gateway error page, a refusal)',
  'server-error': 'every 5xx answer',
  'rate-limited': 'every 429 answer',
  unauthorized: 'the answer to the request without credentials',
  'not-found': 'the answer to the unknown path',
};

const responseClass = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    request: requestSchema,
    authenticated: { type: 'boolean', description: 'An authenticated response: it must carry Cache-Control: no-store.' },
    ...extra,
  },
});

const burstSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'How to provoke a 429: requests until one is refused, bounded in count and time.',
  properties: {
    max: { type: 'integer', minimum: 1, maximum: 10_000 },
    within: durationSchema,
    concurrency: { type: 'integer', minimum: 1, maximum: 64 },
    cooldownMax: durationSchema,
  },
};

export const headersProperties: Record<string, JsonSchema> = {
  responses: {
    type: 'object',
    additionalProperties: false,
    description: 'How to provoke each class of response. Defaults: success GET /, unauthorized the same without API key, not-found an unknown path; rate-limited only when configured.',
    properties: {
      success: responseClass(),
      unauthorized: { anyOf: [{ const: false }, responseClass()] },
      'not-found': { anyOf: [{ const: false }, responseClass()] },
      'rate-limited': { anyOf: [{ const: false }, responseClass({ burst: burstSchema })] },
    },
  },
  require: {
    type: 'object',
    additionalProperties: false,
    description: 'What each response must carry (every rule on by default).',
    properties: {
      hsts: {
        anyOf: [
          { const: false },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              minMaxAge: { type: 'integer', minimum: 0, description: 'Seconds; below fails (default 15552000, 180 days).' },
              recommendedMaxAge: { type: 'integer', minimum: 0, description: 'Seconds; below is a low finding (default 31536000, one year).' },
              includeSubDomains: { type: 'boolean' },
              preload: { type: 'boolean' },
            },
          },
        ],
      },
      ...perResponseRules,
    },
  },
  classes: {
    type: 'object',
    additionalProperties: false,
    description:
      'Rules for one class of answer, overriding require for it alone (the most specific class wins): success (2xx), client-error (4xx), server-error (5xx), rate-limited (429), and the answers the unauthorized and not-found cases provoke.',
    properties: Object.fromEntries(
      RULE_CLASSES.map((cls) => [cls, { type: 'object', additionalProperties: false, description: `Rules for ${CLASS_DESCRIPTIONS[cls]}; HSTS is judged on the success response only (require.hsts).`, properties: perResponseRules }]),
    ),
  },
  severities: severitiesSchema(HEADERS_CASES),
  cases: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...HEADERS_CASES] }, description: 'Run only these cases.' },
};

import type { Severity } from '../../results/model.js';
import { SEVERITIES } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';
import { DEFAULT_THIRD_PARTY_SUFFIXES } from './probes.js';

export const CORS_BYPASS_CASES = [
  'arbitrary-origin',
  'null-origin',
  'prefix-origin',
  'suffix-origin',
  'substring-origin',
  'unescaped-dot-origin',
  'subdomain-origin',
  'http-downgrade',
  'special-characters',
  'third-party-hosting',
] as const;
export type CorsBypassCase = (typeof CORS_BYPASS_CASES)[number];

export const CORS_CASES = [
  'allowed-origin',
  'no-origin',
  ...CORS_BYPASS_CASES,
  'wildcard',
  'wildcard-credentials',
  'preflight-method-reflection',
  'preflight-header-reflection',
  'vary-origin',
] as const;
export type CorsCase = (typeof CORS_CASES)[number];

export interface CorsSpec extends CheckSpecBase {
  /** The simple (actual) request each probe is sent as; its preflight goes to the same path. */
  request?: HttpRequestSpec;
  /** Origins the target means to allow: each gets a positive control; the first is the base of derived probes. */
  allowedOrigins?: string[];
  /** Whether allowed origins must get Access-Control-Allow-Credentials: true. */
  credentials?: boolean;
  /** What a legitimate preflight asks for (default POST with content-type). */
  preflight?: { method?: string; headers?: string[] };
  /** The origin derived probes are built from (default: the first allowed origin, else the target's origin). */
  probeBase?: string;
  /** Origins on hosting where anyone can get a subdomain (default: on github.io, herokuapp.com, vercel.app). */
  thirdPartyOrigins?: string[];
  /** Severity of an accepted bypass origin, by whether that response also allowed credentials. */
  bypassSeverity?: { withCredentials?: Severity; withoutCredentials?: Severity };
  severities?: Partial<Record<CorsCase, Severity>>;
  cases?: CorsCase[];
}

const originList: JsonSchema = { type: 'array', items: { type: 'string', minLength: 1 } };

export const corsProperties: Record<string, JsonSchema> = {
  request: requestSchema,
  allowedOrigins: {
    ...originList,
    description: 'Origins the target allows (`scheme://host[:port]`): each gets a positive control; the first is the base of the bypass probes.',
    examples: [['https://app.example.com', 'https://admin.example.com']],
  },
  credentials: {
    type: 'boolean',
    default: false,
    description: 'Allowed origins must get `Access-Control-Allow-Credentials: true`.',
    examples: [true],
  },
  preflight: {
    type: 'object',
    additionalProperties: false,
    default: { method: 'POST', headers: ['content-type'] },
    description: 'What a legitimate preflight asks for (default `POST` with `content-type`).',
    examples: [{ method: 'PUT', headers: ['content-type', 'authorization'] }],
    properties: {
      method: { type: 'string', pattern: '^[A-Za-z]+$', default: 'POST', description: 'The method the preflight asks for (default `POST`).', examples: ['PUT', 'DELETE'] },
      // An HTTP field name is a token (RFC 9110 section 5.1): api_key is one.
      headers: {
        type: 'array',
        items: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
        default: ['content-type'],
        description: 'The request headers the preflight asks for (default `content-type`).',
        examples: [['content-type', 'x-api-key']],
      },
    },
  },
  probeBase: {
    type: 'string',
    description: "Origin the bypass probes are derived from (default: the first allowed origin, else the target's origin).",
    examples: ['https://app.example.com'],
  },
  thirdPartyOrigins: {
    ...originList,
    description: `Origins on hosting where anyone can get a subdomain, to probe (default: random ones on ${DEFAULT_THIRD_PARTY_SUFFIXES.map((s) => `\`${s}\``).join(', ')}).`,
    examples: [['https://attacker.netlify.app']],
  },
  bypassSeverity: {
    type: 'object',
    additionalProperties: false,
    description: 'Severity of an accepted bypass origin, by whether that response also allowed credentials.',
    examples: [{ withCredentials: 'critical', withoutCredentials: 'low' }],
    properties: {
      withCredentials: { enum: [...SEVERITIES], default: 'high', description: 'When the response also allowed credentials (default `high`).' },
      withoutCredentials: { enum: [...SEVERITIES], default: 'medium', description: 'When it did not (default `medium`).' },
    },
  },
  severities: severitiesSchema(CORS_CASES),
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...CORS_CASES] },
    description: 'Run only these cases.',
    examples: [['allowed-origin', 'arbitrary-origin', 'null-origin']],
  },
};

/** The profile's `cors` section: what every cors check that names no origins of its own uses. */
export const corsProfileProperties: Record<string, JsonSchema> = {
  cors: {
    type: 'object',
    additionalProperties: false,
    description: "The API's CORS policy, for the cors checks that list none of their own: the browser origins it serves, and whether with credentials.",
    examples: [{ allowedOrigins: ['https://app.example.com'], credentials: true }],
    properties: {
      allowedOrigins: { ...originList, description: 'Origins the target allows (scheme://host[:port]): each gets a positive control.', examples: [['https://app.example.com', 'https://admin.example.com']] },
      credentials: { type: 'boolean', description: 'Allowed origins must get Access-Control-Allow-Credentials: true.', examples: [true] },
    },
  },
};

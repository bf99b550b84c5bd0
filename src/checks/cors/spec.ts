import type { Severity } from '../../results/model.js';
import { SEVERITIES } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

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
  allowedOrigins: { ...originList, description: 'Origins the target allows (scheme://host[:port]).' },
  credentials: { type: 'boolean', description: 'Allowed origins must get Access-Control-Allow-Credentials: true.' },
  preflight: {
    type: 'object',
    additionalProperties: false,
    description: 'What a legitimate preflight asks for (default POST with content-type).',
    properties: {
      method: { type: 'string', pattern: '^[A-Za-z]+$' },
      // An HTTP field name is a token (RFC 9110 section 5.1): api_key is one.
      headers: { type: 'array', items: { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" } },
    },
  },
  probeBase: { type: 'string', description: 'Origin the bypass probes are derived from.' },
  thirdPartyOrigins: { ...originList, description: 'Origins on third-party hosting to probe.' },
  bypassSeverity: {
    type: 'object',
    additionalProperties: false,
    properties: { withCredentials: { enum: [...SEVERITIES] }, withoutCredentials: { enum: [...SEVERITIES] } },
  },
  severities: severitiesSchema(CORS_CASES),
  cases: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...CORS_CASES] }, description: 'Run only these cases.' },
};

/** The profile's `cors` section: what every cors check that names no origins of its own uses. */
export const corsProfileProperties: Record<string, JsonSchema> = {
  cors: {
    type: 'object',
    additionalProperties: false,
    description: "The API's CORS policy, for the cors checks that list none of their own: the browser origins it serves, and whether with credentials.",
    properties: {
      allowedOrigins: { ...originList, description: 'Origins the target allows (scheme://host[:port]): each gets a positive control.' },
      credentials: { type: 'boolean', description: 'Allowed origins must get Access-Control-Allow-Credentials: true.' },
    },
  },
};

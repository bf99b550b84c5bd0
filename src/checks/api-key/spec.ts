import type { Severity } from '../../results/model.js';
import { durationSchema, type JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { severitiesSchema } from '../cases.js';
import { requestSchema } from '../request-schema.js';

/** The keys the matrix uses, each named by its role; the values are key names from the profile. */
export const KEY_ROLES = ['valid', 'under-scoped', 'revoked', 'expired', 'unknown', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export const MATRIX_CASES = ['missing', 'malformed', 'unknown', 'revoked', 'expired', 'under-scoped', 'valid', 'query', 'www-authenticate', 'echo', 'no-stack-trace'] as const;
export const LIFECYCLE_CASES = ['create', 'rotation', 'revocation'] as const;
export const API_KEY_CASES = [...MATRIX_CASES, ...LIFECYCLE_CASES] as const;
export type ApiKeyCase = (typeof API_KEY_CASES)[number];

/** Cases graver or lighter than the check's own severity unless `severities` says otherwise. */
export const DEFAULT_CASE_SEVERITIES: Partial<Record<ApiKeyCase, Severity>> = { 'www-authenticate': 'low' };

export type KeyIn = 'header' | 'bearer' | 'query' | 'cookie' | 'basic';

/** The protected request, without `key`: the kind chooses the key of each case. */
export type ProtectedRequest = Omit<HttpRequestSpec, 'key'>;

export interface LifecycleOptions {
  /** How long after the grace period the rotated-out key may still work (default 2s). */
  graceTolerance?: string | number;
  /** How soon a revoked key must be refused (default 5s). */
  revocationWithin?: string | number;
  /** Time between probes while waiting (default 100ms). */
  pollInterval?: string | number;
}

export interface ApiKeySpec extends CheckSpecBase {
  request: ProtectedRequest;
  roles?: Partial<Record<KeyRole, string>>;
  in?: KeyIn;
  header?: string;
  /** The query parameter (in: query) or cookie (in: cookie) the key goes in. */
  param?: string;
  queryParam?: string;
  cases?: ApiKeyCase[];
  lifecycle?: LifecycleOptions | false;
  severities?: Partial<Record<ApiKeyCase, Severity>>;
}

const { key: _key, ...requestWithoutKey } = requestSchema.properties as Record<string, JsonSchema>;

export const apiKeyProperties: Record<string, JsonSchema> = {
  request: {
    ...requestSchema,
    description: 'The protected request every case sends (method, path, body...); the kind chooses its key.',
    properties: requestWithoutKey,
  },
  roles: {
    type: 'object',
    additionalProperties: false,
    description: 'Profile key names by role. A role left out uses the profile key of the same name, if any; a case without its key is skipped.',
    properties: Object.fromEntries(KEY_ROLES.map((role) => [role, { type: 'string' }])),
  },
  in: {
    enum: ['header', 'bearer', 'query', 'cookie', 'basic'],
    description: 'Where keys go: a header (default X-API-Key), Authorization: Bearer, the query string, a cookie, or Authorization: Basic (key values are user:password).',
  },
  header: { type: 'string', description: 'Header name for in: header (default X-API-Key).' },
  param: { type: 'string', description: 'Query parameter for in: query (default api_key), or cookie name for in: cookie.' },
  queryParam: { type: 'string', description: 'Query parameter tried by the query case (default api_key).' },
  cases: {
    type: 'array',
    uniqueItems: true,
    minItems: 1,
    items: { enum: [...API_KEY_CASES] },
    description: 'Run only these cases (default: all that the profile makes possible).',
  },
  severities: severitiesSchema(API_KEY_CASES),
  lifecycle: {
    description: 'Timing of the lifecycle cases, or false to leave them out.',
    anyOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: { graceTolerance: durationSchema, revocationWithin: durationSchema, pollInterval: durationSchema },
      },
    ],
  },
};

const jsonPathField = (what: string): JsonSchema => ({ type: 'string', description: `JSONPath or JSON Pointer to ${what} in the answer.` });

const endpoint = (what: string, extra: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['path', ...required],
  description: what,
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$' },
    path: { type: 'string', description: 'Path on the target; {id} stands for the key id.' },
    body: { description: 'JSON body sent with the request.' },
    ...extra,
  },
});

/** The target-profile section that describes how a target manages keys, so the lifecycle can drive it. */
export const keyManagementProfileSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['create', 'revoke'],
  description: "How the target creates, rotates, lists and revokes API keys (the api-key kind's lifecycle cases; they use the `admin` key role).",
  properties: {
    create: endpoint('Creates a key (default POST); the answer carries the new key and its id.', { key: jsonPathField('the new key (default $.key)'), id: jsonPathField('its id (default $.id)') }),
    rotate: endpoint(
      'Rotates the key {id} (default POST); the answer carries the replacement key and its id.',
      { key: jsonPathField('the new key (default $.key)'), id: jsonPathField('its id (default $.id)'), grace: { ...durationSchema, description: 'How long the old key keeps working.' } },
      ['grace'],
    ),
    revoke: endpoint('Revokes the key {id} (default POST).'),
    list: endpoint('Lists keys (default GET); it must never show a key in plaintext.'),
  },
};

export interface EndpointSpec {
  method?: string;
  path: string;
  body?: unknown;
  key?: string;
  id?: string;
  grace?: string | number;
}

export interface KeyManagementSpec {
  create: EndpointSpec;
  rotate?: EndpointSpec;
  revoke: EndpointSpec;
  list?: EndpointSpec;
}

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

const ROLE_DESCRIPTIONS: Record<KeyRole, string> = {
  valid: 'A working key allowed to make the request.',
  'under-scoped': 'A working key without the scope the request needs: it must get 403.',
  revoked: 'A revoked key: it must get 401.',
  expired: 'An expired key: it must get 401.',
  unknown: 'A well-formed key the target never issued: it must get 401.',
  admin: 'A key allowed to create, rotate and revoke keys (the lifecycle cases, through the profile `keyManagement`).',
};

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
    examples: [{ valid: 'reader', 'under-scoped': 'no-scopes', revoked: 'old-key' }],
    properties: Object.fromEntries(KEY_ROLES.map((role) => [role, { type: 'string', description: ROLE_DESCRIPTIONS[role], examples: [role] }])),
  },
  in: {
    enum: ['header', 'bearer', 'query', 'cookie', 'basic'],
    default: 'header',
    description: 'Where keys go: a header (default `X-API-Key`), `Authorization: Bearer`, the query string, a cookie, or `Authorization: Basic` (key values are `user:password`).',
  },
  header: { type: 'string', default: 'X-API-Key', description: 'Header name for `in: header` (default `X-API-Key`).', examples: ['X-API-Key', 'Api-Key'] },
  param: { type: 'string', description: 'Query parameter for `in: query` (default `api_key`), or cookie name for `in: cookie`.', examples: ['api_key', 'session'] },
  queryParam: { type: 'string', default: 'api_key', description: 'Query parameter tried by the `query` case (default `api_key`).', examples: ['key', 'access_token'] },
  cases: {
    type: 'array',
    uniqueItems: true,
    minItems: 1,
    items: { enum: [...API_KEY_CASES] },
    description: 'Run only these cases (default: all that the profile makes possible).',
    examples: [['missing', 'malformed', 'unknown', 'revoked'], ['rotation', 'revocation']],
  },
  severities: severitiesSchema(API_KEY_CASES),
  lifecycle: {
    description: 'Timing of the lifecycle cases, or `false` to leave them out.',
    examples: [false, { revocationWithin: '10s' }],
    anyOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          graceTolerance: { ...durationSchema, default: '2s', description: 'How long after the grace period the rotated-out key may still work (default `2s`).' },
          revocationWithin: { ...durationSchema, default: '5s', description: 'How soon a revoked key must be refused (default `5s`).' },
          pollInterval: { ...durationSchema, default: '100ms', description: 'Time between probes while waiting (default `100ms`).' },
        },
      },
    ],
  },
};

const jsonPathField = (what: string, path: string): JsonSchema => ({
  type: 'string',
  default: path,
  description: `JSONPath or JSON Pointer to ${what} in the answer (default \`${path}\`).`,
  examples: [path],
});

const endpoint = (what: string, example: Record<string, unknown>, extra: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['path', ...required],
  description: what,
  examples: [example],
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$', description: 'HTTP method (the default depends on the action).', examples: ['POST', 'DELETE'] },
    path: { type: 'string', description: 'Path on the target; `{id}` stands for the key id.', examples: [example.path] },
    body: { description: 'JSON body sent with the request.', examples: [{ name: 'gauntlet', scopes: ['notes:read'] }] },
    ...extra,
  },
});

/** The target-profile section that describes how a target manages keys, so the lifecycle can drive it. */
export const keyManagementProfileSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['create', 'revoke'],
  description: "How the target creates, rotates, lists and revokes API keys (the api-key kind's lifecycle cases; they use the `admin` key role).",
  examples: [{ create: { path: '/api/keys', body: { name: 'gauntlet' } }, revoke: { path: '/api/keys/{id}/revoke' } }],
  properties: {
    create: endpoint('Creates a key (default `POST`); the answer carries the new key and its id.', { path: '/api/keys', body: { name: 'gauntlet' } }, {
      key: jsonPathField('the new key', '$.key'),
      id: jsonPathField('its id', '$.id'),
    }),
    rotate: endpoint(
      'Rotates the key `{id}` (default `POST`); the answer carries the replacement key and its id.',
      { path: '/api/keys/{id}/rotate', grace: '30s' },
      {
        key: jsonPathField('the new key', '$.key'),
        id: jsonPathField('its id', '$.id'),
        grace: { ...durationSchema, description: 'How long the old key keeps working.', examples: ['24h', '30s'] },
      },
      ['grace'],
    ),
    revoke: endpoint('Revokes the key `{id}` (default `POST`).', { path: '/api/keys/{id}/revoke' }),
    list: endpoint('Lists keys (default `GET`); it must never show a key in plaintext.', { path: '/api/keys' }),
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

import type { JsonSchema } from '../server/openapi/types.js';

const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const nullableDateTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const scopes: JsonSchema = { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]*(:[a-z0-9_*-]+)*$', maxLength: 64 }, maxItems: 32 };

/** The id of a stored key, as /admin/keys/{id} takes it. */
export const KEY_ID_PARAM: JsonSchema = { type: 'string', pattern: '^key_[A-Za-z0-9_-]+$' };

/** What the admin API shows of a key (keyView): never its hash, never its plaintext. */
export const KEY_SCHEMA: JsonSchema = {
  title: 'Key',
  type: 'object',
  required: ['id', 'name', 'owner', 'prefix', 'scopes', 'status', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt', 'rateLimitPerMinute', 'replacedBy'],
  properties: {
    id: { ...KEY_ID_PARAM, readOnly: true },
    name: { type: 'string' },
    owner: { type: 'string', description: 'Whose key it is: what a key creates (a note) belongs to this owner.' },
    prefix: { type: 'string', readOnly: true, description: 'The non-secret start of the key, to tell keys apart.' },
    scopes,
    status: { type: 'string', enum: ['active', 'expired', 'revoked'], readOnly: true },
    createdAt: { ...dateTime, readOnly: true },
    lastUsedAt: { ...nullableDateTime, readOnly: true },
    expiresAt: nullableDateTime,
    revokedAt: { ...nullableDateTime, readOnly: true },
    rateLimitPerMinute: { type: ['integer', 'null'], minimum: 0 },
    replacedBy: { type: ['string', 'null'], readOnly: true },
  },
};

const plaintext: JsonSchema = { type: 'string', readOnly: true, description: 'The key itself: in this answer only, never again.' };

export const CREATED_KEY_SCHEMA: JsonSchema = {
  title: 'CreatedKey',
  allOf: [KEY_SCHEMA, { type: 'object', required: ['key'], properties: { key: plaintext } }],
};

export const ROTATED_KEY_SCHEMA: JsonSchema = {
  title: 'RotatedKey',
  allOf: [KEY_SCHEMA, { type: 'object', required: ['key', 'previous'], properties: { key: plaintext, previous: KEY_SCHEMA } }],
};

export const KEY_LIST_SCHEMA: JsonSchema = {
  title: 'KeyList',
  type: 'object',
  required: ['keys'],
  properties: { keys: { type: 'array', items: KEY_SCHEMA } },
};

/** The body of POST /admin/keys (checked by the handler). */
export const NEW_KEY_SCHEMA: JsonSchema = {
  title: 'KeyInput',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    owner: { type: 'string', minLength: 1, maxLength: 100, description: "Whose key it is (default: the owner of the calling key)." },
    scopes,
    expiresAt: { ...nullableDateTime, description: 'When the key stops working (a future time; default never).' },
    rateLimitPerMinute: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000, description: "The key's own limit (default: none)." },
  },
  examples: [{ name: 'reporting job', owner: 'team-reports', scopes: ['data:read'] }],
};

/** The body of POST /admin/keys/{id}/rotate (optional). */
export const ROTATE_SCHEMA: JsonSchema = {
  title: 'RotateInput',
  type: 'object',
  additionalProperties: false,
  properties: { graceSeconds: { type: ['integer', 'null'], minimum: 0, maximum: 30 * 86_400, description: 'How long the old key keeps working (at most the server\'s grace).' } },
  examples: [{ graceSeconds: 60 }],
};

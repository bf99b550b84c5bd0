import { BodyTooLargeError, readBody } from '../server/read-body.js';
import type { RequestContext } from '../server/http-types.js';
import { sendJson, sendProblem } from '../server/respond.js';
import type { Router } from '../server/router.js';
import type { KeyRecord } from './key-store.js';
import { CREATED_KEY_SCHEMA, KEY_ID_PARAM, KEY_LIST_SCHEMA, KEY_SCHEMA, NEW_KEY_SCHEMA, ROTATE_SCHEMA, ROTATED_KEY_SCHEMA } from './key-schemas.js';
import { ADMIN_SCOPE, KeyNotFoundError, KeyStateError, type ApiKeyService } from './key-service.js';

const MAX_BODY = 16 * 1024;
const SCOPE = /^[a-z][a-z0-9_-]*(:[a-z0-9_*-]+)*$/;
const MAX_SCOPES = 32;
const NO_STORE = { 'cache-control': 'no-store' };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the admin API shows of a key: never its hash, never its plaintext. */
export function keyView(record: KeyRecord, now: number) {
  const status = record.revokedAt !== null ? 'revoked' : record.expiresAt !== null && record.expiresAt <= now ? 'expired' : 'active';
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    prefix: record.prefix,
    scopes: record.scopes,
    status,
    createdAt: iso(record.createdAt),
    lastUsedAt: iso(record.lastUsedAt),
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    rateLimitPerMinute: record.rateLimitPerMinute,
    replacedBy: record.replacedBy,
  };
}

class BadRequest extends Error {}

/** Reads a JSON object body; an empty body is `{}` when `optional`. Sends the problem and returns undefined on error. */
async function jsonBody(ctx: RequestContext, optional = false): Promise<Record<string, unknown> | undefined> {
  let raw: Buffer;
  try {
    raw = await readBody(ctx.req, MAX_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendProblem(ctx.res, 413, 'Payload too large', error.message);
    else sendProblem(ctx.res, 400, 'Unreadable body', 'the request body could not be read');
    return undefined;
  }
  if (raw.length === 0 && optional) return {};
  if (!/^application\/json\b/i.test(ctx.req.headers['content-type'] ?? '')) {
    sendProblem(ctx.res, 415, 'Unsupported media type', 'send application/json');
    return undefined;
  }
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  sendProblem(ctx.res, 400, 'Malformed JSON', 'the request body must be a JSON object');
  return undefined;
}

function onlyFields(body: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new BadRequest(`unknown field(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
}

function text(body: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = body[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) throw new BadRequest(`${field} must be a string of 1 to 100 characters`);
  return value;
}

function scopes(body: Record<string, unknown>): string[] {
  const value = body.scopes;
  if (!Array.isArray(value) || value.length > MAX_SCOPES || !value.every((s) => typeof s === 'string' && s.length <= 64 && SCOPE.test(s))) {
    throw new BadRequest(`scopes must be a list of at most ${MAX_SCOPES} scopes like users:read`);
  }
  return value as string[];
}

function expiresAt(body: Record<string, unknown>, now: number): number | null {
  const value = body.expiresAt;
  if (value === undefined || value === null) return null;
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new BadRequest('expiresAt must be an ISO 8601 date-time, e.g. 2030-01-01T00:00:00Z');
  if (at <= now) throw new BadRequest('expiresAt is in the past');
  return at;
}

function positiveInt(body: Record<string, unknown>, field: string, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) throw new BadRequest(`${field} must be an integer from 0 to ${max}`);
  return value;
}

/**
 * The admin API, every route needing scope keys:admin: create (the plaintext is in this answer only), list,
 * show, rotate (a new key; the old one ends after the grace period) and revoke (at once).
 */
export function addKeyAdminRoutes(router: Router, service: ApiKeyService, now: () => number): void {
  const guarded = { scopes: [ADMIN_SCOPE], tag: 'keys' };
  const params = { id: KEY_ID_PARAM };
  const location = { Location: { description: 'The path of the new key.', schema: { type: 'string' }, required: true } };
  /** What the handler answers for any body it reads (jsonBody) and any request it refuses (BadRequest). */
  const bodyAnswers = {
    400: { description: 'The body is not a JSON object, or a field is invalid.' },
    413: { description: 'The body is larger than the server accepts.' },
    415: { description: 'The body is not application/json.' },
  };
  const notFound = { 404: { description: 'No key has this id.' } };
  const conflict = { 409: { description: 'The key is revoked, expired or already rotated.' } };
  const handle = (work: (ctx: RequestContext) => Promise<void> | void) => async (ctx: RequestContext) => {
    try {
      await work(ctx);
    } catch (error) {
      if (error instanceof BadRequest) return sendProblem(ctx.res, 400, 'Invalid key request', error.message);
      if (error instanceof KeyNotFoundError) return sendProblem(ctx.res, 404, 'Key not found', error.message);
      if (error instanceof KeyStateError) return sendProblem(ctx.res, 409, 'Key state conflict', error.message);
      throw error;
    }
  };

  router
    .add('POST', '/admin/keys', handle(async (ctx) => {
      const body = await jsonBody(ctx);
      if (!body) return;
      onlyFields(body, ['name', 'owner', 'scopes', 'expiresAt', 'rateLimitPerMinute']);
      const owner = text(body, 'owner', false) ?? (ctx.locals.apiKey as { owner?: string } | undefined)?.owner ?? 'operator';
      const { key, record } = service.create({
        name: text(body, 'name', true)!,
        owner,
        scopes: scopes(body),
        expiresAt: expiresAt(body, now()),
        rateLimitPerMinute: positiveInt(body, 'rateLimitPerMinute', 1_000_000),
      });
      sendJson(ctx.res, 201, { ...keyView(record, now()), key }, { ...NO_STORE, location: `/admin/keys/${record.id}` });
    }), {
      ...guarded,
      operationId: 'createKey',
      summary: 'Create a key (the only answer that shows it)',
      requestBody: { schema: NEW_KEY_SCHEMA, required: true },
      responses: { 201: { description: 'The new key, with its plaintext.', schema: CREATED_KEY_SCHEMA, headers: location }, ...bodyAnswers },
    })
    .add('GET', '/admin/keys', handle((ctx) => {
      const at = now();
      sendJson(ctx.res, 200, { keys: service.list().map((r) => keyView(r, at)) }, NO_STORE);
    }), { ...guarded, operationId: 'listKeys', summary: 'List every key', responses: { 200: { description: 'Every key, without secrets.', schema: KEY_LIST_SCHEMA } } })
    .add('GET', '/admin/keys/:id', handle((ctx) => {
      const record = service.get(ctx.params.id!);
      if (!record) throw new KeyNotFoundError(`no key with id ${ctx.params.id}`);
      sendJson(ctx.res, 200, keyView(record, now()), NO_STORE);
    }), { ...guarded, operationId: 'getKey', summary: 'Read a key', params, responses: { 200: { description: 'The key, without its secret.', schema: KEY_SCHEMA }, ...notFound } })
    .add('POST', '/admin/keys/:id/rotate', handle(async (ctx) => {
      const body = await jsonBody(ctx, true);
      if (!body) return;
      onlyFields(body, ['graceSeconds']);
      const graceSeconds = positiveInt(body, 'graceSeconds', 30 * 86_400);
      const { key, record, previous } = service.rotate(ctx.params.id!, graceSeconds === undefined ? undefined : graceSeconds * 1000);
      const at = now();
      sendJson(ctx.res, 201, { ...keyView(record, at), key, previous: keyView(previous, at) }, { ...NO_STORE, location: `/admin/keys/${record.id}` });
    }), {
      ...guarded,
      operationId: 'rotateKey',
      summary: 'Replace a key; the old one ends after a grace period',
      params,
      requestBody: { schema: ROTATE_SCHEMA, required: false },
      responses: { 201: { description: 'The replacement key, with its plaintext, and the old one.', schema: ROTATED_KEY_SCHEMA, headers: location }, ...bodyAnswers, ...notFound, ...conflict },
    })
    .add('POST', '/admin/keys/:id/revoke', handle((ctx) => {
      sendJson(ctx.res, 200, keyView(service.revoke(ctx.params.id!), now()), NO_STORE);
    }), { ...guarded, operationId: 'revokeKey', summary: 'Revoke a key at once', params, responses: { 200: { description: 'The revoked key.', schema: KEY_SCHEMA }, ...notFound } });
}

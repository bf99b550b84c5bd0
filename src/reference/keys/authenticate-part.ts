import type { Middleware, RequestContext } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import type { ApiKeyService, KeyFailure } from './key-service.js';

const REALM = 'gauntlet';
/** Query parameters that carry keys in the wild; a key there ends up in logs, proxies and browser history. */
export const QUERY_KEY_PARAMS = ['api_key', 'apikey', 'api-key', 'access_token'];

const FAILURE_DETAIL: Record<KeyFailure, string> = {
  malformed: 'the API key is malformed',
  unknown: 'the API key is not recognised',
  revoked: 'the API key has been revoked',
  expired: 'the API key has expired',
};

type Presented = { value?: string; problem?: string };

/** The key from X-API-Key or Authorization: Bearer (never both with different values). */
function presentedKey(ctx: RequestContext): Presented {
  const raw = ctx.req.headers['x-api-key'];
  // Node joins repeated X-API-Key headers with ", ": such a value is malformed, never one of the keys.
  const header = Array.isArray(raw) ? raw.join(', ') : raw;
  const authorization = ctx.req.headers.authorization;
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer +(.*)$/i.exec(authorization);
    if (!match) return { problem: 'the Authorization header must use the Bearer scheme' };
    bearer = match[1]!.trim();
  }
  if (header !== undefined && bearer !== undefined && header !== bearer) {
    return { problem: 'two different API keys were sent (X-API-Key and Authorization)' };
  }
  return { value: header ?? bearer };
}

/** RFC 6750 challenge; error descriptions are our own fixed texts, never request data. */
function challenge(error?: string, description?: string, scope?: string): string {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`);
  if (description) params.push(`error_description="${description}"`);
  if (scope) params.push(`scope="${scope}"`);
  return `Bearer ${params.join(', ')}`;
}

function unauthorized(ctx: RequestContext, title: string, detail: string, error?: string): void {
  sendProblem(ctx.res, 401, title, detail, {}, { 'www-authenticate': challenge(error, detail), 'cache-control': 'no-store' });
}

/**
 * A failed authentication is answered only after the rate limiter counted it (keyed on the source address, as
 * nobody was authenticated): otherwise guessing keys would never meet a limit. authenticationGate answers it.
 */
function refuse(ctx: RequestContext, next: () => Promise<void>, answer: () => void, flaws: ReadonlySet<string>): Promise<void> | void {
  if (flaws.has('limit-guesses-unlimited')) return answer();
  ctx.locals.authenticationRefused = answer;
  return next();
}

/** Answers a refused authentication once the parts that must see it (the rate limiter) have. */
export const authenticationGate: Middleware = (ctx, next) => {
  const refusal = ctx.locals.authenticationRefused as (() => void) | undefined;
  return refusal ? refusal() : next();
};

/**
 * Authentication and scopes for every route that is not public: the key must be in X-API-Key or
 * Authorization: Bearer (a key in the query string is refused), must be known, not revoked, not expired
 * (401 with a WWW-Authenticate challenge otherwise), and must carry every scope the route declares (403
 * naming the required and provided scopes otherwise).
 */
export function apiKeyAuthentication(service: ApiKeyService, flaws: ReadonlySet<string>): Middleware {
  return async (ctx, next) => {
    const route = ctx.route;
    if (route.kind === 'found' && route.meta.public) return next();

    const inQuery = QUERY_KEY_PARAMS.find((p) => ctx.url.searchParams.has(p));
    let presented = presentedKey(ctx);
    if (inQuery && flaws.has('keys-query-accepted')) {
      if (presented.value === undefined && !presented.problem) presented = { value: ctx.url.searchParams.get(inQuery)! };
    } else if (inQuery) {
      return refuse(ctx, next, () => unauthorized(ctx, 'API key in the query string', 'API keys are not accepted in the query string: send X-API-Key or Authorization: Bearer', 'invalid_request'), flaws);
    }
    if (presented.problem) return refuse(ctx, next, () => unauthorized(ctx, 'Invalid credentials', presented.problem!, 'invalid_request'), flaws);
    if (presented.value === undefined) {
      return refuse(ctx, next, () => sendProblem(ctx.res, 401, 'API key required', 'send an API key in X-API-Key or Authorization: Bearer', {}, { 'www-authenticate': challenge() }), flaws);
    }

    const result = service.authenticate(presented.value);
    if (!result.ok) {
      const detail = FAILURE_DETAIL[result.reason];
      if (flaws.has('keys-echo')) {
        return refuse(ctx, next, () => sendProblem(ctx.res, 401, 'Invalid API key', `${detail}: '${presented.value}'`, {}, { 'www-authenticate': challenge('invalid_token', detail) }), flaws);
      }
      return refuse(ctx, next, () => unauthorized(ctx, 'Invalid API key', detail, 'invalid_token'), flaws);
    }

    const key = result.key;
    ctx.principal = { id: key.id, via: 'api-key', scopes: key.scopes };
    ctx.locals.keyPlacement = ctx.req.headers['x-api-key'] !== undefined ? 'header' : ctx.req.headers.authorization !== undefined ? 'bearer' : 'query';
    ctx.locals.apiKey = { id: key.id, owner: key.owner, scopes: key.scopes, rateLimitPerMinute: key.rateLimitPerMinute };

    const required = route.kind === 'found' ? (route.meta.scopes ?? []) : [];
    const missing = required.filter((s) => !key.scopes.includes(s));
    const forgotten = route.kind === 'found' && route.meta.scopeCheckSkippedUnder !== undefined && flaws.has(route.meta.scopeCheckSkippedUnder);
    if (missing.length && !flaws.has('keys-scope-ignored') && !forgotten) {
      if (flaws.has('keys-scope-401')) return unauthorized(ctx, 'Invalid API key', 'the API key is not valid for this route', 'invalid_token');
      const detail = `this route needs scope ${required.join(' ')}; the key has ${key.scopes.join(' ') || 'no scope'}`;
      return sendProblem(
        ctx.res,
        403,
        'Insufficient scope',
        detail,
        { required, provided: key.scopes, missing },
        { 'www-authenticate': challenge('insufficient_scope', 'the API key lacks a scope this route needs', required.join(' ')) },
      );
    }
    await next();
  };
}

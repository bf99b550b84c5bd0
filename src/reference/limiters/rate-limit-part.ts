import type { Middleware, RequestContext } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import type { Decision } from './algorithms/types.js';
import { decisionHeaders, HEADER_STYLES, policyHeader, retryAfterSeconds, type HeaderStyle } from './headers.js';
import type { Limiter } from './limiter.js';

/** What the reference server is given to limit with (ReferenceServerOptions.limiter). */
export interface RateLimitOptions {
  /** The store that decides (see createLimiterStore); the caller closes it. */
  limiter: Limiter;
  /** Which headers to send (default: both). */
  headers?: HeaderStyle[];
  /**
   * When the store cannot decide (Redis down or slow): `open` lets requests through unlimited (Kong's
   * fault_tolerant), `closed` answers 503. Default `open`. Either way the server keeps serving.
   */
  failureMode?: 'open' | 'closed';
  /** Told when the store starts failing and when it recovers. */
  log?: (message: string) => void;
  /** Limit only requests whose path starts with one of these (after versioning); default: every non-public route. */
  paths?: string[];
  /**
   * The limit-per-worker flaw without processes: each new connection is handed to the next of these limiters in
   * turn, as a cluster hands connections to workers that each count alone. The demo uses it; `serve --workers`
   * shows the real thing.
   */
  perConnection?: Limiter[];
}

/**
 * The rate-limit part: runs after authentication, keyed on who is calling (the authenticated principal, else the
 * verified client identity, else the remote address). Admitted requests carry the rate-limit headers; refused
 * ones get 429 with a problem document (type quota-exceeded) and Retry-After. A leaky-queue limiter's delay is
 * waited out here, before the request goes on.
 */
export function rateLimitPart(options: RateLimitOptions, flaws: ReadonlySet<string>): Middleware {
  const { limiter } = options;
  const styles = options.headers ?? HEADER_STYLES;
  const policyField = policyHeader(limiter.policies);
  const failClosed = options.failureMode === 'closed';
  let failing = false;

  const pinned = new WeakMap<object, Limiter>();
  let nextWorker = 0;
  const limiterFor = (ctx: RequestContext): Limiter => {
    const workers = options.perConnection;
    if (!workers?.length) return limiter;
    let chosen = pinned.get(ctx.req.socket);
    if (!chosen) {
      chosen = workers[nextWorker++ % workers.length]!;
      pinned.set(ctx.req.socket, chosen);
    }
    return chosen;
  };

  return async (ctx, next) => {
    if (ctx.route.kind === 'found' && ctx.route.meta.public) return next();
    if (options.paths && !options.paths.some((prefix) => ctx.url.pathname.startsWith(prefix))) return next();
    let decision: Decision;
    try {
      decision = await limiterFor(ctx).consume(clientKey(ctx, flaws));
      if (failing) {
        failing = false;
        options.log?.('rate limiter store is answering again');
      }
    } catch (error) {
      if (!failing) {
        failing = true;
        options.log?.(`rate limiter store failed (${(error as Error)?.message ?? error}); failing ${failClosed ? 'closed (503)' : 'open (unlimited)'}`);
      }
      if (failClosed) {
        return sendProblem(ctx.res, 503, 'Rate limiter unavailable', 'the rate limiter cannot decide right now; retry shortly', {}, { 'retry-after': '1' });
      }
      return next();
    }
    const headers = decisionHeaders(decision, policyField, { styles, lie: flaws.has('limit-headers-lie') });
    if (!decision.allowed) {
      const retryAfter = retryAfterSeconds(decision);
      if (retryAfter !== undefined && !flaws.has('limit-no-retry-after')) headers['retry-after'] = String(retryAfter);
      const when = retryAfter === undefined ? 'this request can never fit the quota' : `retry in ${retryAfter} s`;
      return sendProblem(ctx.res, 429, 'Quota exceeded', `quota '${decision.policy}' of ${decision.limit} is used up; ${when}`, { policy: decision.policy }, headers);
    }
    for (const name in headers) ctx.res.setHeader(name, headers[name]!);
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    return next();
  };
}

/**
 * The rate-limit key: the authenticated principal, else the verified client identity, else the remote address
 * (a failed authentication counts against its address).
 */
export function clientKey(ctx: RequestContext, flaws: ReadonlySet<string> = new Set()): string {
  const forwarded = flaws.has('limit-trusts-forwarded-for') ? ctx.req.headers['x-forwarded-for'] : undefined;
  if (typeof forwarded === 'string') return `ip:${forwarded.split(',')[0]!.trim()}`;
  if (ctx.principal) {
    const placement = flaws.has('limit-keyed-on-placement') ? `${String(ctx.locals.keyPlacement ?? '')}:` : '';
    return `${ctx.principal.via}:${placement}${ctx.principal.id}`;
  }
  const certificate = ctx.locals.clientCertificate as { principal?: string; fingerprint256?: string } | undefined;
  const identity = (ctx.locals.clientIdentity as string | undefined) ?? certificate?.principal ?? certificate?.fingerprint256;
  if (identity) return `client:${identity}`;
  return `ip:${ctx.req.socket.remoteAddress ?? 'unknown'}`;
}

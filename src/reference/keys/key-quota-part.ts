import { decisionHeaders, HEADER_STYLES, policyHeader, retryAfterSeconds } from '../limiters/headers.js';
import { MemoryStore } from '../limiters/stores/memory.js';
import type { Middleware } from '../server/http-types.js';
import type { PartSetup } from '../server/parts.js';
import { sendProblem } from '../server/respond.js';

const MINUTE_MS = 60_000;
/** Up to this many a minute the exact sliding log (its state is one time per request); above, GCRA's two numbers. */
const EXACT_UP_TO = 1000;

/**
 * A key's own limit (its record's rateLimitPerMinute), after authentication, per key, in this process's memory
 * (under `serve --workers` each worker counts alone). Keys without one pass; the server-wide limiter, when
 * configured, applies on top.
 */
export function keyQuotaPart(setup: PartSetup): Middleware {
  const stores = new Map<number, MemoryStore>();
  setup.onClose(() => Promise.all([...stores.values()].map((s) => s.close())).then(() => undefined));
  const storeFor = (perMinute: number) => {
    let store = stores.get(perMinute);
    if (!store) {
      const algorithm = perMinute <= EXACT_UP_TO ? 'sliding-log' : 'gcra';
      store = new MemoryStore({ algorithm, policies: [{ name: 'key', limit: perMinute, windowMs: MINUTE_MS }] });
      stores.set(perMinute, store);
    }
    return store;
  };

  return (ctx, next) => {
    const key = ctx.locals.apiKey as { id: string; rateLimitPerMinute?: number | null } | undefined;
    if (!key?.rateLimitPerMinute) return next();
    const store = storeFor(key.rateLimitPerMinute);
    const decision = store.consume(key.id);
    const headers = decisionHeaders(decision, policyHeader(store.policies), { styles: HEADER_STYLES, lie: false });
    if (!decision.allowed) {
      const retryAfter = retryAfterSeconds(decision);
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      return sendProblem(ctx.res, 429, 'Quota exceeded', `this key's quota of ${decision.limit} a minute is used up; retry in ${retryAfter} s`, { policy: 'key' }, headers);
    }
    for (const name in headers) ctx.res.setHeader(name, headers[name]!);
    return next();
  };
}

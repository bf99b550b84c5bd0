import type { Middleware } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';

export interface IpRestrictionOptions {
  /** Source addresses or CIDR blocks allowed on restricted routes. */
  allow: string[];
  /** Blocks refused even inside `allow` (checked first, as Kong's ip-restriction plugin does). */
  deny?: string[];
  /** Status for a refused source (default 403). */
  status?: number;
}

/**
 * Routes marked `sourceRestricted` answer only to the allow-listed source addresses. The address is the TCP
 * peer: X-Forwarded-For and friends are never trusted (there is no proxy in front of the reference server).
 */
export function ipRestrictionPart(options: IpRestrictionOptions): Middleware {
  const allow: Cidr[] = options.allow.map(parseCidr);
  const deny: Cidr[] = (options.deny ?? []).map(parseCidr);
  const status = options.status ?? 403;
  return async (ctx, next) => {
    if (ctx.route.kind !== 'found' || !ctx.route.meta.sourceRestricted || ctx.flaws.has('ip-restriction-ignored')) return next();
    const source = ctx.req.socket.remoteAddress ?? '';
    const allowed = !deny.some((c) => cidrContains(c, source)) && allow.some((c) => cidrContains(c, source));
    if (!allowed) return sendProblem(ctx.res, status, 'Forbidden', 'Your IP address is not allowed');
    await next();
  };
}

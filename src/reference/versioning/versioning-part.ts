import type { Middleware } from '../server/http-types.js';
import { sendProblem } from '../server/respond.js';
import { appendVary } from '../headers/vary.js';

export interface VersioningOptions {
  /** Supported versions, as numbers in text: ['1', '2']. */
  versions: string[];
  /** Served when a request names no version (default: the first). */
  defaultVersion?: string;
  /** Request and response header naming the version (default API-Version). */
  header?: string;
}

const VERSIONED_PATH = /^\/api\/v(\d+)(\/.*)?$/;

/**
 * API versions by URL (/api/v2/data) or by header (API-Version: 2). The URL form is rewritten to the plain
 * route before any later part reads route metadata, so restrictions and scopes apply to every spelling of a
 * route. An unsupported version, or a URL and header that disagree, is a 400: never a silent fallback.
 */
export function versioningPart(options: VersioningOptions): Middleware {
  const header = (options.header ?? 'API-Version').toLowerCase();
  const supported = options.versions;
  const fallback = options.defaultVersion ?? supported[0]!;

  return async (ctx, next) => {
    const path = ctx.url.pathname;
    if (path !== '/api' && !path.startsWith('/api/')) return next();
    const fromUrl = VERSIONED_PATH.exec(path);
    const rawHeader = ctx.req.headers[header];
    const fromHeader = Array.isArray(rawHeader) ? rawHeader.join(',') : rawHeader?.trim();
    const urlVersion = fromUrl?.[1];

    if (urlVersion !== undefined && fromHeader !== undefined && fromHeader !== urlVersion) {
      return sendProblem(ctx.res, 400, 'Conflicting API versions', `the URL asks for version ${urlVersion} and ${options.header ?? 'API-Version'} for ${fromHeader}`);
    }
    const requested = urlVersion ?? fromHeader;
    let served = requested ?? fallback;
    if (!supported.includes(served)) {
      if (!ctx.flaws.has('versioning-fallback')) {
        return sendProblem(ctx.res, 400, 'Unsupported API version', `version '${served}' is not supported; supported: ${supported.join(', ')}`, {
          supported,
        });
      }
      served = fallback;
    }
    if (fromUrl) {
      if (!ctx.reroute) throw new Error('versioning needs a server that can reroute requests');
      ctx.reroute(`/api${fromUrl[2] ?? ''}`);
    }
    ctx.locals.apiVersion = served;
    ctx.res.setHeader(options.header ?? 'API-Version', served);
    appendVary(ctx.res, options.header ?? 'API-Version');
    await next();
  };
}

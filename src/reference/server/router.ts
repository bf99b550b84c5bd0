import type { Handler, RouteMeta } from './http-types.js';

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler;
  meta: RouteMeta;
}

/** One route as the table holds it: what the OpenAPI document is built from. */
export interface RouteEntry {
  method: string;
  pattern: string;
  meta: RouteMeta;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string>; meta: RouteMeta; pattern: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/** Method + path patterns with `:param` segments, each with metadata (scopes, its document) that parts can read. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, meta: RouteMeta): this {
    method = method.toUpperCase();
    const taken = this.routes.find((r) => r.meta.operationId === meta.operationId || (r.method === method && r.pattern === pattern));
    if (taken) throw new Error(`route ${method} ${pattern} (${meta.operationId}) clashes with ${taken.method} ${taken.pattern} (${taken.meta.operationId})`);
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler, meta });
    return this;
  }

  /** The route table as it is now (parts add routes while the server is assembled). */
  entries(): RouteEntry[] {
    return this.routes.map(({ method, pattern, meta }) => ({ method, pattern, meta }));
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params, meta: route.meta, pattern: route.pattern };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]!);
      } catch {
        return undefined;
      }
    } else if (p !== parts[i]) {
      return undefined;
    }
  }
  return params;
}

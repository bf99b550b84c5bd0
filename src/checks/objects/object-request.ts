import type { RequestSpec } from '../../engine/http-client.js';
import type { Exchange } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { HttpRequestSpec } from '../http/spec.js';
import { requestSchema } from '../request-schema.js';

/** `{id}` in a request's path or query stands for the object's id. */
export const ID_PLACEHOLDER = '{id}';

/** A request of an object check: the kind chooses who sends it, so it names no key or identity. */
export type ObjectRequestSpec = Omit<HttpRequestSpec, 'key' | 'identity'>;

const { key: _key, identity: _identity, ...requestFields } = requestSchema.properties as Record<string, JsonSchema>;

export function objectRequestSchema(description: string): JsonSchema {
  return { ...requestSchema, description: `${description} The check chooses who sends it (no key or identity here).`, properties: requestFields };
}

function queryValues(request: Pick<RequestSpec, 'query'>): string[] {
  return Object.values(request.query ?? {}).flatMap((value) => (Array.isArray(value) ? value : [value])).map(String);
}

/** Whether the request names an object with `{id}` (in its path or a query value). */
export function namesObject(request: Pick<RequestSpec, 'path' | 'query'>): boolean {
  return (request.path ?? '').includes(ID_PLACEHOLDER) || queryValues(request).some((v) => v.includes(ID_PLACEHOLDER));
}

/** The request with `{id}` replaced by the object's id (encoded for the path; the query encodes itself). */
export function forObject(request: RequestSpec, id: string | number | undefined): RequestSpec {
  if (id === undefined) return request;
  const text = String(id);
  const path = request.path?.split(ID_PLACEHOLDER).join(encodeURIComponent(text));
  if (!request.query) return { ...request, path };
  const swap = (value: string | number | boolean) => (typeof value === 'string' ? value.split(ID_PLACEHOLDER).join(text) : value);
  const query = Object.fromEntries(Object.entries(request.query).map(([name, value]) => [name, Array.isArray(value) ? value.map(swap) : swap(value)]));
  return { ...request, path, query };
}

/** `DELETE /api/notes/{id}`: a request as the scenario writes it. */
export function requestLine(request: Pick<RequestSpec, 'method' | 'path'>): string {
  return `${(request.method ?? 'GET').toUpperCase()} ${request.path ?? '/'}`;
}

/** `DELETE /api/notes/7`: a request as it was sent. */
export function sentLine(exchange: Exchange): string {
  const url = new URL(exchange.request.url);
  return `${exchange.request.method} ${url.pathname}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a method may change data on the target (anything but GET, HEAD, OPTIONS). */
export function unsafeMethod(method: string | undefined): boolean {
  return !SAFE_METHODS.has((method ?? 'GET').toUpperCase());
}

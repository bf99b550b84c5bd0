/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1). A schema with a `title` becomes a named component. */
export type JsonSchema = Record<string, unknown>;

/** A response header as the document states it. */
export interface ResponseHeader {
  description: string;
  schema: JsonSchema;
  /** Sent on every response with this status. */
  required?: boolean;
  /** A value it carries (for RateLimit-Policy, the server's own policy). */
  example?: unknown;
}

/**
 * One answer a route's handler gives. Error statuses (4xx, 5xx) are RFC 9457 problem documents: they get the
 * shared Problem schema, so they carry a description only.
 */
export interface RouteResponse {
  description: string;
  /** The JSON body of a success answer (none: an empty body, as 204). */
  schema?: JsonSchema;
  headers?: Record<string, ResponseHeader>;
}

/** A query parameter the handler reads. */
export interface QueryParameter {
  description: string;
  schema: JsonSchema;
}

/**
 * What the OpenAPI document says of a route, next to the route itself so the two cannot drift. The answers the
 * parts in front of it give (401, 403, 429...) are not listed here: each part describes its own.
 */
export interface RouteDoc {
  /** camelCase, unique on the server. */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Schemas of the pattern's `:name` segments (absent: a string). */
  params?: Record<string, JsonSchema>;
  query?: Record<string, QueryParameter>;
  /** A body the handler checks itself (routes whose `body` the validation part enforces need none). */
  requestBody?: { schema: JsonSchema; required: boolean };
  /** Status -> what the handler answers with it. */
  responses: Record<number, RouteResponse>;
  /** Every caller holding the scope reaches every object of this route by design (a directory, not owned objects). */
  shared?: boolean;
}

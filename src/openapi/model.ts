/**
 * An API as gauntlet plans an audit of it: what an OpenAPI 3.x or Swagger 2.0 document says, normalised to one
 * shape (security schemes, and per operation its security, parameters, body and documented answers).
 */
export interface ApiModel {
  title: string;
  version: string;
  /** Which specification the document follows: 'OpenAPI 3.1.0', 'Swagger 2.0'. */
  specification: string;
  /** Base URLs the document names (servers, or Swagger's schemes + host + basePath), variables filled in. */
  servers: string[];
  schemes: Map<string, SecurityScheme>;
  operations: ApiOperation[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** How an API wants its callers to present credentials. */
export type SecurityScheme =
  | { name: string; type: 'apiKey'; in: 'header' | 'query' | 'cookie'; param: string }
  | { name: string; type: 'http'; scheme: 'bearer' | 'basic' | string }
  | { name: string; type: 'oauth2' | 'openIdConnect'; scopes: string[] }
  | { name: string; type: 'mutualTLS' };

/** One alternative of an operation's security: every scheme named, each with the scopes (or roles) it needs. */
export type SecurityRequirement = Map<string, string[]>;

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema?: JsonSchemaLike;
  example?: unknown;
}

export interface ApiResponse {
  /** '200', '4XX', 'default'. */
  status: string;
  /** Header names, lowercased. */
  headers: string[];
  /** Example values the document gives for some of them (by lowercased name). */
  headerExamples: Record<string, unknown>;
  schema?: JsonSchemaLike;
}

export interface ApiOperation {
  method: HttpMethod;
  /** The path template as the document writes it: /pets/{petId}. */
  path: string;
  operationId?: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** Alternatives, any one of which admits a caller; empty: no credentials needed. */
  security: SecurityRequirement[];
  /** Scopes named in an x-scopes extension (APIs whose apiKey schemes cannot carry scopes in 3.0). */
  extensionScopes: string[];
  /**
   * `x-gauntlet-shared: true` on the operation or its path: by design, any caller holding its scopes may reach any
   * object there (a directory), so no object-level (BOLA) check is planned for it.
   */
  sharedObjects: boolean;
  parameters: ApiParameter[];
  requestBody?: { contentType: string; schema?: JsonSchemaLike; required: boolean };
  responses: ApiResponse[];
}

/** A JSON Schema as an OpenAPI document writes it (dereferenced; circular parts may remain as $ref). */
export type JsonSchemaLike = Record<string, unknown>;

/** `GET /pets/{petId}`: how an operation is named in messages and plans. */
export function operationLabel(op: Pick<ApiOperation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

import type { RouteEntry } from '../router.js';
import { PROBLEM_SCHEMA, SchemaComponents } from './components.js';
import type { DocumentContribution, SecurityScheme } from './contribution.js';
import { OperationDraft } from './operation-draft.js';
import type { JsonSchema, RouteResponse } from './types.js';

/** The tags in the order the document lists them. */
const TAGS: Record<string, string> = {
  health: 'Liveness, this document and who the server thinks is calling.',
  data: 'Read-only data and search.',
  users: 'Users: read, create, replace; deleting one is an admin function.',
  notes: "Notes, each owned by the owner of the API key that created it; another owner's note answers 404.",
  admin: 'Operator statistics, for allow-listed source addresses.',
  keys: 'The API-key admin API (scope keys:admin).',
};

export interface DocumentInfo {
  /** scheme://host the request came to: the document's server. */
  serverUrl: string;
  version: string;
}

/** `/api/users/:id` as OpenAPI writes it: `/api/users/{id}`. */
export const openApiPath = (pattern: string) => pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

const pathParams = (pattern: string) => [...pattern.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

/** What a route with a `body` answers when the body cannot be read (json-body.ts, or the validation part). */
const BODY_ANSWERS: Record<number, RouteResponse> = {
  400: { description: 'The body is not valid JSON, or breaks the request schema.' },
  413: { description: 'The body is larger than the server accepts.' },
};

/**
 * The OpenAPI 3.1 document of a running server, from its route table and the contributions of the parts that are
 * on. Built per request, so it is always the routes that answer.
 */
export function buildOpenApiDocument(routes: RouteEntry[], contributions: DocumentContribution[], info: DocumentInfo): Record<string, unknown> {
  const components = new SchemaComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  const securitySchemes: Record<string, SecurityScheme> = Object.assign({}, ...contributions.map((c) => c.securitySchemes ?? {}));

  for (const route of routes) {
    const draft = new OperationDraft(route);
    const meta = route.meta;
    const body = meta.body ? { schema: meta.body, required: true } : meta.requestBody;
    if (meta.body) for (const [status, answer] of Object.entries(BODY_ANSWERS)) draft.respond(Number(status), answer);
    for (const name of pathParams(route.pattern)) {
      draft.parameter({ name, in: 'path', required: true, schema: meta.params?.[name] ?? { type: 'string' } });
    }
    for (const [name, query] of Object.entries(meta.query ?? {})) draft.parameter({ name, in: 'query', required: false, ...query });
    for (const contribution of contributions) contribution.operation?.(draft);

    const operation: Record<string, unknown> = {
      operationId: meta.operationId,
      tags: [meta.tag],
      summary: meta.summary,
      description: draft.description,
      parameters: draft.parameters.length ? draft.parameters.map((p) => ({ ...p, schema: components.ref(p.schema) })) : undefined,
      requestBody: body && { required: body.required, content: { 'application/json': { schema: components.ref(body.schema) } } },
      responses: Object.fromEntries([...draft.responses].sort(([a], [b]) => a - b).map(([status, answer]) => [String(status), response(status, answer, components)])),
      security: draft.requirement.size ? [Object.fromEntries(draft.requirement)] : [],
      // Any caller with the scope reaches any object here by design: gauntlet init plans no BOLA check for it.
      ...(meta.shared ? { 'x-gauntlet-shared': true } : {}),
      ...draft.extensions,
    };
    (paths[openApiPath(route.pattern)] ??= {})[route.method.toLowerCase()] = withoutUndefined(operation);
  }

  const used = new Set(routes.map((r) => r.meta.tag));
  return {
    openapi: '3.1.0',
    info: {
      title: 'gauntlet reference API',
      version: info.version,
      description:
        'The reference target of gauntlet: a small API with the protections gauntlet audits. This document is built from the running server\'s routes and the protections that are on.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: info.serverUrl }],
    tags: [...Object.keys(TAGS).filter((t) => used.delete(t)), ...used].map((name) => withoutUndefined({ name, description: TAGS[name] })),
    paths,
    components: withoutUndefined({
      schemas: components.schemas,
      securitySchemes: Object.keys(securitySchemes).length ? securitySchemes : undefined,
    }),
  };
}

function response(status: number, answer: RouteResponse, components: SchemaComponents): Record<string, unknown> {
  const problem = status >= 400;
  const schema: JsonSchema | undefined = problem ? PROBLEM_SCHEMA : answer.schema;
  const headers = Object.entries(answer.headers ?? {});
  return withoutUndefined({
    description: answer.description,
    headers: headers.length ? Object.fromEntries(headers.map(([name, h]) => [name, { ...h, schema: components.ref(h.schema) }])) : undefined,
    content: schema && { [problem ? 'application/problem+json' : 'application/json']: { schema: components.ref(schema) } },
  });
}

function withoutUndefined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

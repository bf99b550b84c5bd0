import { HTTP_METHODS, type ApiModel, type ApiOperation, type ApiParameter, type ApiResponse, type JsonSchemaLike, type SecurityRequirement, type SecurityScheme } from './model.js';

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A dereferenced OpenAPI 3.x or Swagger 2.0 document as gauntlet's ApiModel. `base`: where it was read from. */
export function normalizeDocument(document: Obj, base: string): ApiModel {
  const swagger = typeof document.swagger === 'string';
  const info = obj(document.info);
  const schemes = swagger ? swaggerSchemes(obj(document.securityDefinitions)) : openApiSchemes(obj(obj(document.components).securitySchemes));
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(obj(document.paths))) {
    const pathItem = obj(item);
    for (const method of HTTP_METHODS) {
      if (!(method in pathItem)) continue;
      const op = obj(pathItem[method]);
      operations.push(swagger ? swaggerOperation(document, path, method, pathItem, op) : openApiOperation(document, path, method, pathItem, op));
    }
  }
  return {
    title: str(info.title) ?? 'API',
    version: str(info.version) ?? '',
    specification: swagger ? `Swagger ${document.swagger}` : `OpenAPI ${document.openapi}`,
    servers: swagger ? swaggerServers(document, base) : openApiServers(list(document.servers), base),
    schemes,
    operations,
  };
}

function openApiServers(servers: unknown[], base: string): string[] {
  return servers
    .map((s) => {
      const server = obj(s);
      let url = str(server.url) ?? '';
      for (const [name, variable] of Object.entries(obj(server.variables))) url = url.replaceAll(`{${name}}`, String(obj(variable).default ?? ''));
      return absolute(url, base);
    })
    .filter((u): u is string => u !== undefined);
}

function swaggerServers(document: Obj, base: string): string[] {
  const host = str(document.host);
  const basePath = str(document.basePath) ?? '';
  const schemes = list(document.schemes).map(String);
  if (!host) return [absolute(basePath || '/', base)].filter((u): u is string => u !== undefined);
  return (schemes.length ? schemes : ['https']).map((scheme) => `${scheme}://${host}${basePath}`.replace(/\/$/, ''));
}

/** A server URL made absolute against the document's own URL; a relative one next to a local file has no host. */
function absolute(url: string, base: string): string | undefined {
  if (/^https?:\/\//i.test(url)) return url.replace(/\/$/, '');
  if (!/^https?:/i.test(base)) return undefined;
  return new URL(url || '/', base).toString().replace(/\/$/, '');
}

function openApiSchemes(definitions: Obj): Map<string, SecurityScheme> {
  const schemes = new Map<string, SecurityScheme>();
  for (const [name, value] of Object.entries(definitions)) {
    const d = obj(value);
    const type = str(d.type);
    if (type === 'apiKey') schemes.set(name, { name, type, in: (str(d.in) ?? 'header') as 'header', param: str(d.name) ?? 'X-API-Key' });
    else if (type === 'http') schemes.set(name, { name, type, scheme: (str(d.scheme) ?? 'bearer').toLowerCase() });
    else if (type === 'oauth2') schemes.set(name, { name, type, scopes: [...new Set(Object.values(obj(d.flows)).flatMap((f) => Object.keys(obj(obj(f).scopes))))] });
    else if (type === 'openIdConnect') schemes.set(name, { name, type, scopes: [] });
    else if (type === 'mutualTLS') schemes.set(name, { name, type });
  }
  return schemes;
}

function swaggerSchemes(definitions: Obj): Map<string, SecurityScheme> {
  const schemes = new Map<string, SecurityScheme>();
  for (const [name, value] of Object.entries(definitions)) {
    const d = obj(value);
    const type = str(d.type);
    if (type === 'apiKey') schemes.set(name, { name, type, in: (str(d.in) ?? 'header') as 'header', param: str(d.name) ?? 'X-API-Key' });
    else if (type === 'basic') schemes.set(name, { name, type: 'http', scheme: 'basic' });
    else if (type === 'oauth2') schemes.set(name, { name, type, scopes: Object.keys(obj(d.scopes)) });
  }
  return schemes;
}

function requirements(value: unknown): SecurityRequirement[] {
  return list(value).map((r) => new Map(Object.entries(obj(r)).map(([scheme, scopes]) => [scheme, list(scopes).map(String)])));
}

/** Path-level parameters, overridden by the operation's own of the same name and place. */
function mergedParameters(pathItem: Obj, op: Obj): Obj[] {
  const merged = new Map<string, Obj>();
  for (const p of [...list(pathItem.parameters), ...list(op.parameters)].map(obj)) merged.set(`${str(p.in)}:${str(p.name)}`, p);
  return [...merged.values()];
}

function parameterOf(p: Obj, schema: JsonSchemaLike | undefined): ApiParameter | undefined {
  const where = str(p.in);
  if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie') return undefined;
  return { name: str(p.name) ?? '', in: where, required: where === 'path' || p.required === true, schema, example: p.example ?? firstExample(p.examples) ?? schema?.example };
}

function firstExample(examples: unknown): unknown {
  const first = Object.values(obj(examples))[0];
  return first === undefined ? undefined : obj(first).value;
}

function base(path: string, method: ApiOperation['method'], document: Obj, op: Obj, pathItem: Obj): Omit<ApiOperation, 'parameters' | 'requestBody' | 'responses'> {
  const scopes = op['x-scopes'] ?? op['x-required-scopes'];
  return {
    method,
    path,
    operationId: str(op.operationId),
    summary: str(op.summary),
    tags: list(op.tags).map(String),
    deprecated: op.deprecated === true,
    security: requirements(op.security ?? document.security),
    extensionScopes: list(scopes).map(String),
    sharedObjects: op['x-gauntlet-shared'] === true || pathItem['x-gauntlet-shared'] === true,
  };
}

function openApiOperation(document: Obj, path: string, method: ApiOperation['method'], pathItem: Obj, op: Obj): ApiOperation {
  const parameters = mergedParameters(pathItem, op)
    .map((p) => parameterOf(p, p.schema ? obj(p.schema) : undefined))
    .filter((p): p is ApiParameter => p !== undefined);
  const body = obj(op.requestBody);
  const content = obj(body.content);
  const contentType = pickContentType(Object.keys(content));
  const responses: ApiResponse[] = Object.entries(obj(op.responses)).map(([status, r]) => {
    const response = obj(r);
    const responseContent = obj(response.content);
    const type = pickContentType(Object.keys(responseContent));
    const schema = type ? obj(obj(responseContent[type]).schema) : undefined;
    return { status, ...headersOf(obj(response.headers)), schema: schema && Object.keys(schema).length ? schema : undefined };
  });
  return {
    ...base(path, method, document, op, pathItem),
    parameters,
    requestBody: contentType ? { contentType, schema: obj(obj(content[contentType]).schema), required: body.required === true } : undefined,
    responses,
  };
}

function swaggerOperation(document: Obj, path: string, method: ApiOperation['method'], pathItem: Obj, op: Obj): ApiOperation {
  const all = mergedParameters(pathItem, op);
  const parameters = all.map((p) => parameterOf(p, p.type ? { type: p.type, format: p.format, enum: p.enum, items: p.items, default: p.default } : undefined)).filter((p): p is ApiParameter => p !== undefined);
  const bodyParam = all.find((p) => p.in === 'body');
  const formParams = all.filter((p) => p.in === 'formData');
  const consumes = list(op.consumes ?? document.consumes).map(String);
  let requestBody: ApiOperation['requestBody'];
  if (bodyParam) requestBody = { contentType: pickContentType(consumes) ?? 'application/json', schema: obj(bodyParam.schema), required: bodyParam.required === true };
  else if (formParams.length) {
    requestBody = {
      contentType: consumes.includes('multipart/form-data') ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
      schema: { type: 'object', properties: Object.fromEntries(formParams.map((p) => [str(p.name), { type: p.type, format: p.format, enum: p.enum }])), required: formParams.filter((p) => p.required).map((p) => str(p.name)) },
      required: formParams.some((p) => p.required),
    };
  }
  const responses: ApiResponse[] = Object.entries(obj(op.responses)).map(([status, r]) => {
    const response = obj(r);
    const schema = obj(response.schema);
    return { status, ...headersOf(obj(response.headers)), schema: Object.keys(schema).length ? schema : undefined };
  });
  return { ...base(path, method, document, op, pathItem), parameters, requestBody, responses };
}

/** A response's header names, and the examples given for them (3.x: example or schema example; 2.0: x-example or default). */
function headersOf(headers: Obj): Pick<ApiResponse, 'headers' | 'headerExamples'> {
  const headerExamples: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const h = obj(value);
    const example = h.example ?? obj(h.schema).example ?? h['x-example'] ?? h.default ?? obj(h.schema).default;
    if (example !== undefined) headerExamples[name.toLowerCase()] = example;
  }
  return { headers: Object.keys(headers).map((h) => h.toLowerCase()), headerExamples };
}

/** JSON first, then any +json type, then whatever comes first. */
function pickContentType(types: string[]): string | undefined {
  return types.find((t) => /^application\/json\b/i.test(t)) ?? types.find((t) => /\+json\b/i.test(t)) ?? types[0];
}

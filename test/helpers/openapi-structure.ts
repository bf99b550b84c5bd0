import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { HTTP_METHODS, operationsOf, resolve, schemaValidator, type Json, type OpenApiDocument } from './openapi.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const text = { type: 'string' };
const extensions = { '^x-': {} };
const schemaObject = { type: ['object', 'boolean'] };

/**
 * The structure of an OpenAPI 3.1.0 document, for the fields the reference server uses, written from the
 * specification (no copy of the official schema ships in node_modules). Fields the server does not use are
 * refused, so a typo cannot pass as an unknown field.
 */
const OPENAPI_31 = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  additionalProperties: false,
  patternProperties: extensions,
  properties: {
    openapi: { const: '3.1.0' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      additionalProperties: false,
      properties: {
        title: text,
        version: text,
        description: text,
        // identifier and url are mutually exclusive
        license: { type: 'object', required: ['name'], properties: { name: text, identifier: text, url: { type: 'string', format: 'uri' } }, not: { required: ['identifier', 'url'] } },
      },
    },
    servers: { type: 'array', minItems: 1, items: { type: 'object', required: ['url'], additionalProperties: false, properties: { url: { type: 'string', format: 'uri' }, description: text } } },
    tags: { type: 'array', items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: text, description: text } } },
    paths: { type: 'object', propertyNames: { pattern: '^/' }, additionalProperties: { $ref: '#/$defs/pathItem' } },
    components: {
      type: 'object',
      additionalProperties: false,
      properties: {
        schemas: { type: 'object', additionalProperties: schemaObject },
        securitySchemes: { type: 'object', additionalProperties: { $ref: '#/$defs/securityScheme' } },
      },
    },
  },
  $defs: {
    pathItem: {
      type: 'object',
      additionalProperties: false,
      patternProperties: extensions,
      properties: { summary: text, description: text, ...Object.fromEntries(HTTP_METHODS.map((m) => [m, { $ref: '#/$defs/operation' }])) },
    },
    operation: {
      type: 'object',
      required: ['responses'],
      additionalProperties: false,
      patternProperties: extensions,
      properties: {
        operationId: text,
        tags: { type: 'array', items: text },
        summary: text,
        description: text,
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        requestBody: { type: 'object', required: ['content'], additionalProperties: false, properties: { description: text, required: { type: 'boolean' }, content: { $ref: '#/$defs/content' } } },
        responses: { type: 'object', minProperties: 1, propertyNames: { pattern: '^([1-5][0-9X]{2}|default)$' }, additionalProperties: { $ref: '#/$defs/response' } },
        security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: text } } },
        deprecated: { type: 'boolean' },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'in', 'schema'],
      additionalProperties: false,
      properties: { name: text, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, description: text, schema: schemaObject },
      // A path parameter must say required: true.
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
    },
    content: {
      type: 'object',
      propertyNames: { pattern: '^[a-z]+/[a-z0-9.+-]+$' },
      additionalProperties: { type: 'object', additionalProperties: false, properties: { schema: schemaObject, example: {}, examples: { type: 'object' } } },
    },
    response: {
      type: 'object',
      required: ['description'],
      additionalProperties: false,
      properties: {
        description: text,
        headers: { type: 'object', additionalProperties: { type: 'object', required: ['schema'], additionalProperties: false, properties: { description: text, required: { type: 'boolean' }, schema: schemaObject, example: {}, examples: { type: 'object' } } } },
        content: { $ref: '#/$defs/content' },
      },
    },
    securityScheme: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
        description: text,
        name: text,
        in: { enum: ['query', 'header', 'cookie'] },
        scheme: text,
        bearerFormat: text,
        flows: { type: 'object' },
        openIdConnectUrl: text,
      },
      allOf: [
        { if: { properties: { type: { const: 'apiKey' } } }, then: { required: ['name', 'in'] } },
        { if: { properties: { type: { const: 'http' } } }, then: { required: ['scheme'] } },
      ],
    },
  },
};

function walk(value: unknown, visit: (node: Json, at: string) => void, at = ''): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${at}/${i}`));
  else if (value !== null && typeof value === 'object') {
    visit(value as Json, at);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

/**
 * What is wrong with a document as OpenAPI 3.1: its structure, then what a structure cannot say (unique
 * operationIds, path templates and their parameters, declared tags and security schemes, resolvable $refs, schemas
 * a JSON Schema 2020-12 validator compiles). Empty when nothing is.
 */
export function openApiProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const shape = ajv.compile(OPENAPI_31);
  if (!shape(doc)) return (shape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

  const seenIds = new Set<string>();
  const tags = new Set(((doc.tags ?? []) as Json[]).map((t) => t.name));
  const schemes = doc.components?.securitySchemes ?? {};
  for (const { method, path, op } of operationsOf(doc)) {
    const where = `${method} ${path}`;
    if (seenIds.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is not unique`);
    seenIds.add(op.operationId);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name as string).sort();
    if (JSON.stringify(templated) !== JSON.stringify(declared)) problems.push(`${where}: path parameters ${declared} do not match the template ${templated}`);
    for (const tag of (op.tags ?? []) as string[]) if (!tags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
    for (const requirement of op.security ?? []) {
      for (const name of Object.keys(requirement)) if (!schemes[name]) problems.push(`${where}: security scheme ${name} is not declared`);
    }
  }
  walk(doc, (node, at) => {
    if (typeof node.$ref !== 'string') return;
    try {
      resolve(doc, node);
    } catch (error) {
      problems.push(`${at}: ${(error as Error).message}`);
    }
  });
  const compile = schemaValidator(doc);
  const compiles = (schema: unknown, at: string) => {
    try {
      compile(schema as Json);
    } catch (error) {
      problems.push(`${at}: ${(error as Error).message}`);
    }
  };
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) compiles(schema, `/components/schemas/${name}`);
  walk(doc.paths, (node, at) => {
    if (node.schema !== undefined && (at.includes('/parameters/') || at.includes('/content/') || at.includes('/headers/'))) compiles(node.schema, `/paths${at}`);
  });
  return problems;
}

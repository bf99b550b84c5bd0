import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './types.js';

/** The one error shape of the reference server (respond.ts), with every extension member a part adds. */
export const PROBLEM_SCHEMA: JsonSchema = {
  title: 'Problem',
  description: 'An RFC 9457 problem document.',
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    errors: {
      description: 'Invalid request body: one entry per field (a JSON Pointer).',
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    required: { description: 'Insufficient scope: the scopes the route needs.', type: 'array', items: { type: 'string' } },
    provided: { description: 'Insufficient scope: the scopes the key has.', type: 'array', items: { type: 'string' } },
    missing: { description: 'Insufficient scope: the scopes the key lacks.', type: 'array', items: { type: 'string' } },
    policy: { description: 'Quota exceeded: the rate-limit policy that refused.', type: 'string' },
    supported: { description: 'Unsupported API version: the versions served.', type: 'array', items: { type: 'string' } },
  },
};

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'not', 'additionalProperties', 'contains'] as const;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * components.schemas, filled as schemas are referenced: a schema with a `title` is stored once under that name and
 * referenced; one without is copied in place. Two different schemas with one title are a mistake in the routes.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly named = new Map<string, JsonSchema>();

  ref(schema: JsonSchema): JsonSchema {
    const name = schema.title;
    if (typeof name !== 'string') return this.copy(schema);
    const known = this.named.get(name);
    if (known === undefined) {
      this.named.set(name, schema);
      this.schemas[name] = this.copy(schema);
    } else if (known !== schema && !isDeepStrictEqual(known, schema)) {
      throw new Error(`two different schemas are named ${name}`);
    }
    return { $ref: `#/components/schemas/${encodeURIComponent(name)}` };
  }

  private copy(schema: JsonSchema): JsonSchema {
    const out: JsonSchema = { ...schema };
    if (isSchema(schema.properties)) {
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, this.ref(v as JsonSchema)]));
    }
    for (const key of SUBSCHEMAS) if (isSchema(schema[key])) out[key] = this.ref(schema[key]);
    for (const key of SUBSCHEMA_LISTS) if (Array.isArray(schema[key])) out[key] = (schema[key] as JsonSchema[]).map((s) => this.ref(s));
    return out;
  }
}

import type { FieldError } from './field-errors.js';

/**
 * The top-level fields of `body` that its schema marks readOnly. JSON Schema validators (ajv too) treat readOnly
 * as an annotation and let such fields through; OpenAPI says a request should not send them, and a server that
 * stored them would let a client set what only the server may (its role: mass assignment).
 */
export function readOnlyFieldErrors(schema: Record<string, unknown>, body: unknown): FieldError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const properties = (schema.properties ?? {}) as Record<string, { readOnly?: boolean }>;
  return Object.keys(body)
    .filter((name) => Object.hasOwn(properties, name) && properties[name]?.readOnly === true)
    .map((name) => ({ field: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is read-only: the server sets it' }));
}

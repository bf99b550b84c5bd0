import type { JsonSchema } from './schema.js';

/**
 * Descriptions in the kinds' schemas are written once, as Markdown (`code` in backticks). Editors that render
 * Markdown (VS Code with yaml-language-server) read `markdownDescription`; the others, and ajv, read a plain
 * `description`. An enum is its own list of examples; a const is its own only example.
 */
export function documentForEditors(schema: JsonSchema): JsonSchema {
  return documented(schema) as JsonSchema;
}

function documented(node: unknown): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: Record<string, unknown> = { ...node };
  for (const key of SCHEMA_MAPS) if (isObject(out[key])) out[key] = mapValues(out[key], documented);
  for (const key of SCHEMA_LISTS) if (Array.isArray(out[key])) out[key] = out[key].map(documented);
  for (const key of SCHEMAS) if (key in out) out[key] = Array.isArray(out[key]) ? out[key].map(documented) : documented(out[key]);
  if (typeof out.description === 'string' && out.markdownDescription === undefined) {
    out.markdownDescription = out.description;
    out.description = plainText(out.description);
  }
  if (out.examples === undefined) {
    if (Array.isArray(out.enum)) out.examples = out.enum;
    else if ('const' in out) out.examples = [out.const];
  }
  return out;
}

/** The keywords whose values are schemas (draft-07), by shape; everything else is data. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'dependencies', 'definitions'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];
const SCHEMAS = ['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'propertyNames', 'contains'];

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function mapValues(map: Record<string, unknown>, f: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, f(value)]));
}

/** The Markdown text without its code marks: `--only` reads as --only. */
export function plainText(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}

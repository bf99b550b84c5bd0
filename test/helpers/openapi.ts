import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { paths: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> } };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface Operation {
  method: string;
  path: string;
  op: Json & { operationId: string; responses: Record<string, Json>; security?: Record<string, string[]>[]; parameters?: Json[] };
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op: op as Operation['op'] })),
  );
}

const COMPONENTS_ID = 'https://reference.invalid/components';
const asExternal = (schema: unknown): Json => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`));

/**
 * Ajv (JSON Schema 2020-12, the OpenAPI 3.1 dialect) with the document's components.schemas reachable by their
 * `#/components/schemas/...` references. Strict: a keyword ajv does not know is a mistake in the document.
 */
export function schemaValidator(doc: OpenApiDocument): (schema: Json) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: asExternal(doc.components?.schemas ?? {}) });
  const cache = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) cache.set(key, (validate = ajv.compile(asExternal(schema))));
    return validate;
  };
}

/** A schema with its `$ref` followed (one level; components only). */
export function resolve(doc: OpenApiDocument, schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = decodeURIComponent(ref.replace('#/components/schemas/', ''));
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return resolve(doc, target);
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * JSON Pointers of the properties in `value` that its schema does not declare ("excessive data exposure"). An
 * object schema without `properties` is a free-form map; allOf members add up; of oneOf/anyOf the branches for
 * the value's JSON type count.
 */
export function undeclaredProperties(doc: OpenApiDocument, schema: Json, value: unknown, at = ''): string[] {
  const s = resolve(doc, schema);
  const branches = [...((s.oneOf ?? s.anyOf ?? []) as Json[])].map((b) => resolve(doc, b)).filter((b) => matchesType(b, value));
  const members = [s, ...((s.allOf ?? []) as Json[]).map((m) => resolve(doc, m)), ...branches];
  if (Array.isArray(value)) {
    const items = members.find((m) => isObject(m.items))?.items as Json | undefined;
    return items ? value.flatMap((v, i) => undeclaredProperties(doc, items, v, `${at}/${i}`)) : [];
  }
  if (!isObject(value)) return [];
  const declared: Record<string, Json> = Object.assign({}, ...members.map((m) => (m.properties ?? {}) as Record<string, Json>));
  const open = members.some((m) => m.additionalProperties !== undefined && m.additionalProperties !== false);
  if (!Object.keys(declared).length) return [];
  return Object.entries(value).flatMap(([name, v]) =>
    name in declared ? undeclaredProperties(doc, declared[name]!, v, `${at}/${name}`) : open ? [] : [`${at}/${name}`],
  );
}

function matchesType(schema: Json, value: unknown): boolean {
  const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
  if (!types) return true;
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { didYouMean } from '../util/did-you-mean.js';
import type { Diagnostic } from './diagnostics.js';
import type { JsonSchema } from './schema.js';
import { pathToString, pointerToPath, type JsonPath, type YamlSource } from './source-map.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function compileSchema(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** A schema diagnostic with the path of the value it is about. */
export interface SchemaProblem {
  path: JsonPath;
  diagnostic: Diagnostic;
}

/** Validates a parsed document and turns ajv's errors into located, readable diagnostics. */
export function schemaProblems(validate: ValidateFunction, data: unknown, source: YamlSource): SchemaProblem[] {
  if (validate(data)) return [];
  return simplify(validate.errors ?? []).map((error) => ({
    path: pointerToPath(error.instancePath),
    diagnostic: toDiagnostic(error, source),
  }));
}

/**
 * ajv reports every branch of a union. Keep what a person needs: drop oneOf/anyOf summaries when a more
 * specific error exists at or below the same place, drop a branch's `type` error when another branch got
 * further, and merge the remaining type errors at one place into one.
 */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  const kept = specific.filter((e) => {
    if (e.keyword !== 'type') return true;
    return !specific.some((o) => o.keyword !== 'type' && o.instancePath.startsWith(e.instancePath) && o !== e);
  });
  const result: ErrorObject[] = [];
  const typeAt = new Map<string, ErrorObject>();
  for (const error of kept) {
    if (error.keyword === 'type') {
      const existing = typeAt.get(error.instancePath);
      if (existing) {
        const types = new Set([...asList(existing.params.type), ...asList(error.params.type)]);
        existing.params = { type: [...types].join(', ') };
        continue;
      }
      const copy = { ...error, params: { ...error.params } };
      typeAt.set(error.instancePath, copy);
      result.push(copy);
      continue;
    }
    result.push(error);
  }
  const unions = errors.filter((e) => ['oneOf', 'anyOf'].includes(e.keyword));
  for (const union of unions) {
    if (!result.some((e) => e.instancePath.startsWith(union.instancePath))) result.push(union);
  }
  const seen = new Set<string>();
  return result.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : String(value).split(', ');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

function toDiagnostic(error: ErrorObject, source: YamlSource): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const where = path.length ? pathToString(path) : 'the document';
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = didYouMean(field, allowed);
      return source.diagnosticAt(
        [...path, field],
        'E_UNKNOWN_FIELD',
        `unknown field '${field}' in ${where}`,
        suggestion ? `did you mean '${suggestion}'?` : allowed.length ? `allowed: ${allowed.join(', ')}` : undefined,
        true,
      );
    }
    case 'required':
      return source.diagnosticAt(
        path,
        'E_MISSING_FIELD',
        `missing required field '${String(error.params.missingProperty)}' in ${where}`,
      );
    case 'type':
      return source.diagnosticAt(
        path,
        'E_WRONG_TYPE',
        `${where} must be ${String(error.params.type).replace(/, ([^,]*)$/, ' or $1')}, got ${describe(error.data)}`,
      );
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return source.diagnosticAt(
        path,
        'E_BAD_VALUE',
        `${where} must be one of ${allowed.join(', ')}, got ${describe(error.data)}`,
        suggestion ? `did you mean '${suggestion}'?` : undefined,
      );
    }
    case 'discriminator':
      return source.diagnosticAt(path, 'E_MISSING_FIELD', `${where} needs a 'kind'`);
    default:
      return source.diagnosticAt(path, 'E_SCHEMA', `${where} ${error.message ?? 'is invalid'}`);
  }
}

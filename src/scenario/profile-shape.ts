import { isMap, isScalar, type Document } from 'yaml';

/** Top-level fields every target profile may have and no scenario has (kinds add more, e.g. rateLimits). */
export const CORE_PROFILE_FIELDS: readonly string[] = ['target', 'replicas', 'tls', 'keys', 'defaults', 'headers', 'timeouts', 'allowLoad', 'mutations', 'keyScopes'];

/** Fields only a scenario has: a document with one of them is a scenario, whatever else it holds. */
const SCENARIO_FIELDS = ['checks', 'name'];

/**
 * The profile fields of a document shaped like a target profile (a mapping with no `checks` or `name` and at
 * least one profile field), in the order written; undefined for anything else.
 */
export function profileFieldsIn(keys: readonly string[], profileFields: readonly string[] = CORE_PROFILE_FIELDS): string[] | undefined {
  if (keys.some((k) => SCENARIO_FIELDS.includes(k))) return undefined;
  const found = keys.filter((k) => profileFields.includes(k));
  return found.length ? found : undefined;
}

/** The top-level keys of a document, as far as it could be parsed. */
export function topLevelKeys(doc: Document): string[] {
  const contents = doc.contents;
  if (!isMap(contents)) return [];
  return contents.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

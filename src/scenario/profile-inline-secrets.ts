import { isAlias, isMap, isScalar, type Document, type Node } from 'yaml';
import type { KindDefinition } from './kind-definition.js';
import { kindSecretPaths } from './profile-secrets.js';
import type { JsonPath } from './source-map.js';
import { LOAD_TIME_PATTERN } from './variables.js';

/** Text or a number at a secret's place in a profile, other than `${env:...}` / `${file:...}` references. */
export interface SecretValue {
  path: JsonPath;
  /** Where it is written: the value, or an alias of it. */
  at: Node;
  /** The value itself (where an alias leads). */
  node: Node;
  value: unknown;
  /** Text where a reference belongs: E_INLINE_SECRET. Other values (a number) are only masked. */
  inline: boolean;
}

const ANY = Symbol('any name');

/**
 * Every value written where a profile's secrets go (API keys, key passphrases, the kinds' secrets), read off
 * the document as parsed, mistakes and all: found before its shape is checked, so that an inline secret is
 * reported and masked even when the profile has other mistakes, on the same line or elsewhere.
 */
export function secretValues(doc: Document, kinds: KindDefinition<any>[]): SecretValue[] {
  const patterns: (string | typeof ANY)[][] = [['keys', ANY], ['tls', 'identities', ANY, 'passphrase'], ...kindSecretPaths(kinds).map((p) => p.map(String))];
  const found: SecretValue[] = [];
  for (const pattern of patterns) {
    for (const { path, at } of nodesAt(doc, doc.contents, pattern)) {
      const node = isAlias(at) ? at.resolve(doc) : at;
      // true, false and null say nothing (and masking "true" everywhere would garble messages).
      if (!isScalar(node) || !['string', 'number'].includes(typeof node.value) || isReference(node.value)) continue;
      found.push({ path, at, node, value: node.value, inline: typeof node.value === 'string' });
    }
  }
  return found;
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && new RegExp(LOAD_TIME_PATTERN.source).test(value);
}

/** The nodes at `pattern` (every pair of a repeated key, aliases on the way followed), with their paths. */
function nodesAt(doc: Document, node: unknown, pattern: (string | typeof ANY)[], path: JsonPath = []): { path: JsonPath; at: Node }[] {
  if (pattern.length === 0) return node ? [{ path, at: node as Node }] : [];
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (!isMap(resolved)) return [];
  const [want, ...rest] = pattern;
  return resolved.items.flatMap((pair) => {
    if (!isScalar(pair.key)) return [];
    const name = String(pair.key.value);
    return want === ANY || want === name ? nodesAt(doc, pair.value, rest, [...path, name]) : [];
  });
}

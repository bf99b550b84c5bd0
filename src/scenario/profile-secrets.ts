import type { KindDefinition } from './kind-definition.js';
import type { JsonPath } from './source-map.js';

/** Every secret path the kinds declare in their profile sections. */
export function kindSecretPaths(kinds: KindDefinition<any>[]): JsonPath[] {
  return kinds.flatMap((k) => k.profileSecrets ?? []);
}

export function valueAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Replaces the value at an existing path (a no-op when the path is not there). */
export function setValueAt(root: unknown, path: JsonPath, value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
}

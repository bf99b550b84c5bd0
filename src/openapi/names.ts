import { createHash } from 'node:crypto';
import type { ApiOperation } from './model.js';

/** `listPetsByOwner` -> `list-pets-by-owner`; anything else -> lowercase words joined by '-'. */
export function slug(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('-') || 'root';
  if (joined.length <= MAX_SLUG) return joined;
  // Cut long names, keeping them apart: two paths that share a long start must not share an id.
  return `${joined.slice(0, MAX_SLUG - 7).replace(/-+$/, '')}-${createHash('sha256').update(joined).digest('hex').slice(0, 6)}`;
}

const MAX_SLUG = 60;

/** An operation's name in check ids: its operationId, else its method and path (`get-pets-pet-id`). */
export function operationSlug(op: Pick<ApiOperation, 'operationId' | 'method' | 'path'>): string {
  return slug(op.operationId ?? `${op.method} ${op.path.replace(/[{}]/g, '')}`);
}

/** The family a path belongs to: its first segment that is neither a parameter nor a version (`/v1/pets/{id}` -> pets). */
export function pathFamily(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const meaningful = segments.find((s) => !s.startsWith('{') && !/^v\d+(\.\d+)*$/i.test(s) && s !== 'api');
  return slug(meaningful ?? segments[0] ?? 'root');
}

/**
 * The variable a path parameter's value lives in: the name itself when it says what it is (`petId`), else the
 * singular of the segment before it joined to it (`/notes/{id}` -> `noteId`), so two paths' `{id}`s differ.
 */
export function parameterVar(path: string, name: string): string {
  const segments = path.split('/').filter(Boolean);
  const at = segments.indexOf(`{${name}}`);
  const before = at > 0 ? segments[at - 1]! : '';
  const generic = /^(id|uuid|key|name|slug|number|ref)$/i.test(name);
  const base = generic && before && !before.startsWith('{') ? `${singular(camel(before))}${capital(name)}` : camel(name);
  return /^[A-Za-z_]/.test(base) ? base : `p${base}`;
}

function camel(text: string): string {
  const [first = '', ...rest] = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capital).join('');
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us)$/.test(word)) return word;
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `GAUNTLET_KEY_OTHER_OWNER`: the environment variable a key slot is read from. */
export function envName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`.replace(/_+$/, '');
}

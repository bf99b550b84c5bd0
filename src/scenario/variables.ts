import { resolve } from 'node:path';
import { readInputFile } from './input-file.js';
import type { JsonPath } from './source-map.js';

/** `${env:NAME}` and `${file:path}`: resolved once, when a file is loaded. */
export const LOAD_TIME_PATTERN = /\$\{(env|file):([^}]*)\}/g;
/** `{{name}}`: a variable or an earlier capture, resolved just before a check runs. */
export const VAR_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export interface LoadTimeProblem {
  path: JsonPath;
  code: string;
  message: string;
}

/** Deep-copies `value`, replacing `${env:NAME}` and `${file:path}` in every string; problems are collected. */
export function resolveLoadTime(
  value: unknown,
  options: { baseDir: string; env: NodeJS.ProcessEnv },
  problems: LoadTimeProblem[],
  path: JsonPath = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(LOAD_TIME_PATTERN, (_match, source: string, name: string) => {
      if (source === 'env') {
        const resolved = options.env[name];
        if (resolved === undefined) {
          problems.push({ path, code: 'E_ENV_UNSET', message: `environment variable ${name} is not set` });
          return '';
        }
        return resolved;
      }
      const file = resolve(options.baseDir, name);
      const read = readInputFile(file);
      if ('text' in read) return read.text.replace(/\r?\n$/, '');
      problems.push({ path, code: read.code, message: `cannot read ${file}: ${read.reason}` });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveLoadTime(v, options, problems, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveLoadTime(v, options, problems, [...path, k])]),
    );
  }
  return value;
}

/** Every `{{name}}` reference in `value`, with where it is. */
export function findVarRefs(value: unknown, path: JsonPath = [], out: { name: string; path: JsonPath }[] = []) {
  if (typeof value === 'string') {
    for (const match of value.matchAll(VAR_PATTERN)) out.push({ name: match[1]!, path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findVarRefs(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) findVarRefs(v, [...path, k], out);
  }
  return out;
}

/**
 * Deep-copies `value` with `{{name}}` replaced. A string that is exactly one reference takes the variable's
 * value as it is (a captured number stays a number); elsewhere values are turned into text.
 */
export function interpolate(value: unknown, vars: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') {
    const exact = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$/.exec(value);
    if (exact && vars.has(exact[1]!)) return vars.get(exact[1]!);
    return value.replace(VAR_PATTERN, (match, name: string) => {
      if (!vars.has(name)) return match;
      const v = vars.get(name);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  }
  return value;
}

import { SEVERITIES, type Severity } from '../results/model.js';
import { parseDuration, timeoutProblem } from '../util/duration.js';
import { GauntletError } from '../util/errors.js';

export function parseVars(values: string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const entry of values ?? []) {
    const at = entry.indexOf('=');
    const name = at > 0 ? entry.slice(0, at) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new GauntletError('E_USAGE', `--var expects name=value with a name of letters, digits, _ . -; got '${entry}'`);
    }
    vars[name] = entry.slice(at + 1);
  }
  return vars;
}

export function parseTimeout(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const problem = timeoutProblem(value);
  if (problem) throw new GauntletError('E_USAGE', `--timeout: ${problem}`);
  return parseDuration(value)!;
}

export function parseSeverity(value: string | undefined, option: string): Severity {
  const severity = (value ?? 'info').toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) {
    throw new GauntletError('E_USAGE', `${option} expects one of ${SEVERITIES.join(', ')}; got '${value}'`);
  }
  return severity as Severity;
}

export function parsePositiveInt(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isNaN(value)) throw new GauntletError('E_USAGE', `${option} expects a whole number of at least 1, e.g. ${option} ${fallback}; got something that is not a number`);
  if (!Number.isInteger(value) || value < 1) throw new GauntletError('E_USAGE', `${option} expects a whole number of at least 1; got '${value}'`);
  return value;
}

/** --only globs, repeatable or comma-separated; a comma inside braces is the glob's (`keys.matrix.{missing,valid}`). */
export function globListOption(values: string[] | string | undefined): string[] {
  const globs: string[] = [];
  for (const value of values === undefined ? [] : Array.isArray(values) ? values : [values]) {
    let depth = 0;
    let current = '';
    for (const c of String(value)) {
      if (c === ',' && depth === 0) {
        globs.push(current);
        current = '';
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') depth = Math.max(0, depth - 1);
      current += c;
    }
    globs.push(current);
  }
  return globs.map((g) => g.trim()).filter(Boolean);
}

/** Repeatable options may also be comma-separated. */
export function listOption(values: string[] | string | undefined): string[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

/** A duration option (`2m`, `30s`, `500ms`, milliseconds), more than 0. */
export function parseDurationOption(value: string | number, option: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || !(ms > 0)) throw new GauntletError('E_USAGE', `${option} expects a duration such as 30s, 2m or 500ms; got '${value}'`);
  return ms;
}

/** A run's name in Redis keys: letters, digits, dot, dash, underscore. */
export function parseRunId(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new GauntletError('E_USAGE', `--run-id expects 1 to 64 letters, digits, '.', '-' or '_'; got '${value}'`);
  return value;
}

import type { CheckResult } from '../results/model.js';
import type { BaselineEntry } from './entry.js';

/** The id of the check a result belongs to: a case's id without its `.case` suffix. */
export function checkIdOf(result: Pick<CheckResult, 'id' | 'case'>): string {
  return result.case && result.id.endsWith(`.${result.case}`) ? result.id.slice(0, -result.case.length - 1) : result.id;
}

/** An entry names a result by the result's own id, or by its check's id (which covers every case). */
export function namesResult(entry: Pick<BaselineEntry, 'id'>, result: Pick<CheckResult, 'id' | 'case'>): boolean {
  return entry.id === result.id || entry.id === checkIdOf(result);
}

/** A base URL compared as a target: scheme, host, port and path, whatever the case of the host or a trailing slash. */
export function targetKey(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url;
  }
}

export function appliesToTarget(entry: Pick<BaselineEntry, 'target'>, target: string): boolean {
  return entry.target === undefined || targetKey(entry.target) === targetKey(target);
}

import type { LoadedCheck, LoadedScenario } from '../scenario/types.js';

/** `keys.*`, `*.boundary`, `limits.??`: `*` any run of characters, `?` one. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export interface Selection {
  only?: string[];
  tags?: string[];
}

/** Whether a check is part of the run under --only and --tag (scenario tags count for their checks). */
export function isSelected(check: LoadedCheck, scenario: LoadedScenario, selection: Selection): boolean {
  if (selection.only?.length) {
    const patterns = selection.only.map(globToRegExp);
    if (!patterns.some((p) => p.test(check.spec.id))) return false;
  }
  if (selection.tags?.length) {
    const tags = new Set([...(check.spec.tags ?? []), ...scenario.tags]);
    if (!selection.tags.some((t) => tags.has(t))) return false;
  }
  return true;
}

export function selectChecks(scenarios: LoadedScenario[], selection: Selection): LoadedScenario[] {
  return scenarios
    .map((s) => ({ ...s, checks: s.checks.filter((c) => isSelected(c, s, selection)) }))
    .filter((s) => s.checks.length > 0);
}

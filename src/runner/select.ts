import picomatch from 'picomatch';
import type { CaseInfo } from '../checks/cases.js';
import type { BoundsContext, CheckKind } from '../checks/types.js';
import type { LoadedCheck, LoadedScenario } from '../scenario/types.js';

/**
 * Whether an id matches any of the --only globs (picomatch: `*` any run of characters, `?` one, `{a,b}`, `[ab]`,
 * `!` to negate). Ids never hold a `/`, so `*` crosses the dots: `*.boundary` matches `limits.burst.boundary`.
 */
export function idMatcher(globs: readonly string[]): (id: string) => boolean {
  return picomatch(globs, { dot: true });
}

export interface Selection {
  only?: string[];
  tags?: string[];
}

/** The cases a kind plans for a spec; none when it plans none, or cannot say (a broken spec is the runner's to report). */
export function plannedCasesOf(kind: CheckKind | undefined, spec: LoadedCheck['spec'], context: BoundsContext): CaseInfo[] {
  try {
    return kind?.plannedCases?.(spec, context) ?? [];
  } catch {
    return [];
  }
}

function hasTag(check: LoadedCheck, scenario: LoadedScenario, tags: readonly string[]): boolean {
  const own = new Set([...(check.spec.tags ?? []), ...scenario.tags]);
  return tags.some((t) => own.has(t));
}

/**
 * The check as --only selects it: whole when its id matches; else only the planned cases whose ids
 * (`<check id>.<case>`) match, its spec narrowed to run just those (see CheckKind.narrowToCases); undefined when
 * neither matches.
 */
function selectCases(check: LoadedCheck, kind: CheckKind | undefined, matches: (id: string) => boolean, context: BoundsContext): LoadedCheck | undefined {
  const id = check.spec.id;
  if (matches(id)) return check;
  const suffixes = plannedCasesOf(kind, check.spec, context)
    .map((c) => c.suffix)
    .filter((suffix) => matches(`${id}.${suffix}`));
  if (suffixes.length === 0) return undefined;
  const spec = (kind?.narrowToCases?.(check.spec, suffixes) ?? check.spec) as LoadedCheck['spec'];
  return { ...check, spec, cases: suffixes };
}

/**
 * The checks --only and --tag select (scenario tags count for their checks), each with the cases --only selects.
 * A check must carry one of the tags (when --tag is given) and match one of the globs (when --only is given), by
 * its own id or the id of one of its cases.
 */
export function selectChecks(scenarios: LoadedScenario[], selection: Selection, context: BoundsContext, kinds: readonly CheckKind[]): LoadedScenario[] {
  const matches = selection.only?.length ? idMatcher(selection.only) : undefined;
  const kindOf = (check: LoadedCheck) => kinds.find((k) => k.kind === check.spec.kind);
  return scenarios
    .map((s) => ({
      ...s,
      checks: s.checks
        .filter((c) => !selection.tags?.length || hasTag(c, s, selection.tags))
        .map((c) => (matches ? selectCases(c, kindOf(c), matches, context) : c))
        .filter((c): c is LoadedCheck => c !== undefined),
    }))
    .filter((s) => s.checks.length > 0);
}

/** A check's results limited to the cases --only selected (all of them when it selected the check itself). */
export function selectedResults<R extends { case?: string }>(check: LoadedCheck, results: R[]): R[] {
  if (!check.cases) return results;
  const wanted = new Set(check.cases);
  const kept = results.filter((r) => r.case === undefined || wanted.has(r.case));
  // A kind that reported none of them would otherwise vanish from the report: better its whole answer.
  return kept.length ? kept : results;
}

import type { BoundsContext } from '../checks/bounds.js';
import type { CheckKind } from '../checks/types.js';
import type { Severity, SourceLocation } from '../results/model.js';
import type { LoadedScenario } from '../scenario/types.js';

/** A check, or a case of one, that the scenarios can report: what a baseline entry may name. */
export interface KnownFinding {
  id: string;
  checkId: string;
  severity: Severity;
  source: SourceLocation;
}

/**
 * Every check of the scenarios and every case its kind plans, with its severity, known before anything is sent.
 * A kind that finds its cases while it runs contributes only its check.
 */
export function knownFindings(scenarios: LoadedScenario[], kinds: CheckKind<any>[], context: BoundsContext): KnownFinding[] {
  return scenarios.flatMap((scenario) =>
    scenario.checks.flatMap(({ spec, source }) => {
      const check: KnownFinding = { id: spec.id, checkId: spec.id, severity: spec.severity, source };
      const cases = plannedCases(kinds.find((k) => k.kind === spec.kind), spec, context);
      return [check, ...cases.map((c) => ({ id: `${spec.id}.${c.suffix}`, checkId: spec.id, severity: c.severity ?? spec.severity, source }))];
    }),
  );
}

function plannedCases(kind: CheckKind<any> | undefined, spec: unknown, context: BoundsContext) {
  try {
    return kind?.plannedCases?.(spec, context) ?? [];
  } catch {
    // A spec the kind cannot plan is reported when it runs; here it only means its cases are not known yet.
    return [];
  }
}

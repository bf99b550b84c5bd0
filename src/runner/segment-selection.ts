import type { CheckKind } from '../checks/types.js';
import { formatSegment, splitLoad, type Segment } from '../engine/load-segment.js';
import { ScenarioError, type Diagnostic } from '../scenario/diagnostics.js';
import type { LoadedScenario } from '../scenario/types.js';
import { findVarRefs } from '../scenario/variables.js';

/**
 * The checks of segment i/N: every check in segment 1, and in each segment the i-th part of every check whose load
 * splits (load). Refused before anything is sent: a load too small to give each segment a connection (and a
 * request, and a request a second), and, in segments after the first, a load check fed by captures of checks that
 * run only in segment 1.
 */
export function segmentScenarios(scenarios: LoadedScenario[], segment: Segment, kinds: CheckKind<any>[]): LoadedScenario[] {
  const kindOf = (name: string) => kinds.find((k) => k.kind === name);
  const problems: Diagnostic[] = [];
  const selected = scenarios.map((scenario) => {
    const captured = new Set<string>();
    const checks = scenario.checks.filter((check) => {
      const kind = kindOf(check.spec.kind);
      const split = kind?.splitLoad?.(check.spec);
      const at = { file: check.source.file, line: check.source.line, col: check.source.col };
      if (split && !check.spec.skip) {
        try {
          splitLoad(split, segment);
        } catch (error) {
          problems.push({ ...at, code: 'E_SEGMENT', message: `check '${check.spec.id}': ${(error as Error).message}` });
        }
        const fed = findVarRefs(check.spec).filter((ref) => captured.has(ref.name));
        if (segment.index > 1 && fed.length) {
          problems.push({
            ...at,
            code: 'E_SEGMENT',
            message: `check '${check.spec.id}' uses ${fed.map((r) => `{{${r.name}}}`).join(', ')}, captured by an earlier check that runs in segment 1 only, so segment ${formatSegment(segment)} cannot send its requests: run it with a coordinator (--workers) instead`,
          });
        }
      }
      for (const name of kind?.captures?.(check.spec) ?? []) captured.add(name);
      return split !== undefined || segment.index === 1;
    });
    return { ...scenario, checks };
  });
  if (problems.length) throw new ScenarioError(problems);
  return selected.filter((s) => s.checks.length > 0);
}

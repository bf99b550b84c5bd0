import { sendsLoad, type CheckBounds } from '../checks/bounds.js';
import type { BoundsContext, CheckKind } from '../checks/types.js';
import { assertLoadAllowed } from '../engine/load-guard.js';
import type { Severity } from '../results/model.js';
import type { LoadedCheck, LoadedScenario, TargetProfile } from '../scenario/types.js';
import { findVarRefs, interpolate } from '../scenario/variables.js';
import { changesData, MUTATIONS_FORBIDDEN_REASON } from './run-check.js';
import { plannedCasesOf } from './select.js';

export interface PlannedCase {
  id: string;
  title: string;
  severity: Severity;
}

export interface PlannedCheck {
  id: string;
  kind: string;
  title: string;
  severity: Severity;
  scenario: string;
  file: string;
  /** The cases it reports (none: it reports one result, under its own id). */
  cases: PlannedCase[];
  /** The most it can cost; absent when it will not run, or its bounds depend on what the run captures. */
  bounds?: CheckBounds;
  /** How long it waits first, with no traffic to the target, for the target's quota to recover (rate-limit, load). */
  quietMs?: number;
  /** Why it will not run: skip:, a change of data the profile forbids, load the load guard refuses. */
  notRun?: string;
  /** Why its bounds are not known before the run. */
  unknownBounds?: string;
}

export interface RunPlanTotals {
  checks: number;
  /** Results the run reports: a check's cases, or the check itself when it has none. */
  results: number;
  notRun: number;
  /** Sums over the checks that run: the most requests, and the most time were they run one after another. */
  requests: number;
  durationMs: number;
  /** Checks whose bounds are not known before the run (left out of the sums). */
  unknownBounds: number;
}

export interface RunPlan {
  target: string;
  checks: PlannedCheck[];
  totals: RunPlanTotals;
  /** The profile paces ordinary requests: time bounds grow by the waits for their turn. */
  pace?: number;
}

export interface PlanOptions {
  profile: TargetProfile;
  timeoutMs: number;
  /** --var values and the profile's variables; a check's own captures are known only when the run makes them. */
  vars: Record<string, string>;
  allowLoad: boolean;
  kinds: readonly CheckKind[];
}

function titleOf(kind: CheckKind, spec: LoadedCheck['spec']): string {
  try {
    return spec.title ?? kind.defaultTitle(spec);
  } catch {
    return spec.id;
  }
}

/** What the runner would do with one selected check, from the same rules it applies, without sending anything. */
function planCheck(loaded: LoadedCheck, scenario: LoadedScenario, options: PlanOptions): PlannedCheck {
  const raw = loaded.spec;
  const kind = options.kinds.find((k) => k.kind === raw.kind)!;
  const context: BoundsContext = { timeoutMs: options.timeoutMs, profile: options.profile };
  const vars = new Map<string, unknown>(Object.entries({ ...options.profile.vars, ...scenario.vars, ...options.vars }));
  const spec = interpolate(raw, vars) as LoadedCheck['spec'];
  const planned = plannedCasesOf(kind, spec, context).filter((c) => !loaded.cases || loaded.cases.includes(c.suffix));
  const check: PlannedCheck = {
    id: raw.id,
    kind: raw.kind,
    title: titleOf(kind, spec),
    severity: raw.severity,
    scenario: scenario.name,
    file: scenario.file,
    cases: planned.map((c) => ({ id: `${raw.id}.${c.suffix}`, title: c.title, severity: c.severity ?? raw.severity })),
  };
  if (raw.skip) return { ...check, notRun: typeof raw.skip === 'string' ? raw.skip : 'skip: true in the scenario' };
  if (options.profile.mutations !== 'allowed' && changesData(kind, raw)) return { ...check, notRun: MUTATIONS_FORBIDDEN_REASON };
  try {
    const bounds = kind.bounds(spec, context);
    if (!Number.isFinite(bounds.requests) || !Number.isFinite(bounds.durationMs)) throw new Error(`the ${raw.kind} kind could not bound it`);
    if (sendsLoad(bounds)) {
      const what = bounds.concurrent ? 'bursts or load' : `up to ${bounds.requests} requests (more than a handful)`;
      assertLoadAllowed(bounds.targets ?? [options.profile.baseUrl], options.allowLoad, { what, smaller: bounds.smaller });
    }
    const quietMs = kind.quotaRecoveryMs?.(spec, context);
    return { ...check, bounds, ...(quietMs ? { quietMs } : {}) };
  } catch (error) {
    const refs = [...new Set(findVarRefs(spec).map((r) => `{{${r.name}}}`))];
    if (refs.length) return { ...check, unknownBounds: `it uses ${refs.join(', ')}, known only once the run captures it` };
    return { ...check, notRun: (error as Error).message };
  }
}

/** The plan of a run: every selected check and case, what each can cost at most, and the totals. */
export function planRun(scenarios: LoadedScenario[], options: PlanOptions): RunPlan {
  const checks = scenarios.flatMap((scenario) => scenario.checks.map((loaded) => planCheck(loaded, scenario, options)));
  const running = checks.filter((c) => !c.notRun);
  const counted = running.filter((c) => c.bounds);
  return {
    target: options.profile.baseUrl,
    checks,
    totals: {
      checks: checks.length,
      results: checks.reduce((n, c) => n + Math.max(1, c.cases.length), 0),
      notRun: checks.length - running.length,
      requests: counted.reduce((n, c) => n + c.bounds!.requests, 0),
      durationMs: counted.reduce((n, c) => n + c.bounds!.durationMs + (c.quietMs ?? 0), 0),
      unknownBounds: running.length - counted.length,
    },
    ...(options.profile.pace ? { pace: options.profile.pace } : {}),
  };
}

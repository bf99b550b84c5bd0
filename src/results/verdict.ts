import { EXIT } from '../util/errors.js';
import { exitCodeFor, type StopSignal } from '../util/stop-signals.js';
import {
  SEVERITIES,
  type BaselineProblem,
  STATUSES,
  type CheckResult,
  type ScenarioResult,
  type Severity,
  type SeverityCounts,
  type StatusCounts,
  type Totals,
  type Verdict,
} from './model.js';
import { atLeast } from './severity.js';

export function allChecks(scenarios: ScenarioResult[]): CheckResult[] {
  return scenarios.flatMap((s) => s.checks);
}

export function computeTotals(checks: CheckResult[]): Totals {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  let suppressed = 0;
  for (const check of checks) {
    byStatus[check.status]++;
    if (check.status === 'failed' && check.suppressed) suppressed++;
    else if (check.status === 'failed') findingsBySeverity[check.severity]++;
  }
  return { checks: checks.length, byStatus, findingsBySeverity, suppressed };
}

/** A run a signal stopped: its exit code is the signal's (130, 143, 129), whatever its checks found. */
export function interruptedVerdict(signal: StopSignal): Verdict {
  const by = signal === 'SIGINT' ? '' : ` by ${signal}`;
  return { exitCode: exitCodeFor(signal), summary: `interrupted${by} before all checks ran` };
}

/**
 * 3 when every check that ran errored on the transport (nothing answered); 1 when a check at or above
 * `failOn` failed or errored (a check that could not run must not let a CI gate pass), or a baseline entry is
 * wrong (expired, stale); 2 when every planned check was skipped (nothing was checked, which is no pass) unless
 * `allowEmpty`; 0 otherwise. A failure a baseline accepts (`suppressed`) does not count.
 */
export function computeVerdict(checks: CheckResult[], failOn: Severity, interrupted = false, baselineProblems: BaselineProblem[] = [], allowEmpty = false): Verdict {
  if (interrupted) return interruptedVerdict('SIGINT');
  const ran = checks.filter((c) => c.status !== 'skipped');
  if (ran.length === 0 && checks.length > 0 && !allowEmpty) {
    return { exitCode: EXIT.usage, summary: `nothing was checked: all ${checks.length} selected checks were skipped (each says why); --allow-empty accepts a run that checks nothing` };
  }
  if (ran.length > 0 && ran.every((c) => c.status === 'errored' && c.transport)) {
    const classes = [...new Set(ran.map((c) => c.transport))].join(', ');
    return { exitCode: EXIT.unreachable, summary: `the target could not be reached for any check (${classes})` };
  }
  const gating = ran.filter((c) => c.status !== 'passed' && !c.suppressed && atLeast(c.severity, failOn));
  const suppressed = ran.filter((c) => c.suppressed).length;
  const accepted = suppressed ? ` (${suppressed} suppressed by the baseline)` : '';
  const wrongBaseline = baselineProblemsSummary(baselineProblems);
  if (gating.length > 0 || wrongBaseline) {
    const failed = gating.filter((c) => c.status === 'failed').length;
    const errored = gating.length - failed;
    const parts = [failed && `${failed} failed`, errored && `${errored} errored`].filter(Boolean).join(', ');
    const findings = parts ? `${parts} at or above severity ${failOn}${accepted}` : undefined;
    return { exitCode: EXIT.findings, summary: [findings, wrongBaseline].filter(Boolean).join('; ') };
  }
  return { exitCode: EXIT.ok, summary: `no failures at or above severity ${failOn}${accepted}` };
}

/** `baseline: 1 entry expired, 2 entries stale`, or undefined when the baseline is sound. */
function baselineProblemsSummary(problems: BaselineProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const entries = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);
  const described: Record<BaselineProblem['problem'], (n: number) => string> = {
    expired: (n) => `${entries(n)} expired`,
    stale: (n) => `${entries(n)} stale`,
    critical: (n) => `${entries(n)} accepting a critical finding without allowCritical`,
  };
  const parts = (['expired', 'stale', 'critical'] as const)
    .map((kind) => ({ kind, n: problems.filter((p) => p.problem === kind).length }))
    .filter(({ n }) => n > 0)
    .map(({ kind, n }) => described[kind](n));
  return `baseline: ${parts.join(', ')}`;
}

import { EXIT } from '../util/errors.js';
import { exitCodeFor, type StopSignal } from '../util/stop-signals.js';
import {
  SEVERITIES,
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
  for (const check of checks) {
    byStatus[check.status]++;
    if (check.status === 'failed') findingsBySeverity[check.severity]++;
  }
  return { checks: checks.length, byStatus, findingsBySeverity };
}

/** A run a signal stopped: its exit code is the signal's (130, 143, 129), whatever its checks found. */
export function interruptedVerdict(signal: StopSignal): Verdict {
  const by = signal === 'SIGINT' ? '' : ` by ${signal}`;
  return { exitCode: exitCodeFor(signal), summary: `interrupted${by} before all checks ran` };
}

/**
 * 3 when every check that ran errored on the transport (nothing answered); 1 when a check at or above
 * `failOn` failed or errored (a check that could not run must not let a CI gate pass); 2 when every planned check
 * was skipped (nothing was checked, which is no pass) unless `allowEmpty`; 0 otherwise.
 */
export function computeVerdict(checks: CheckResult[], failOn: Severity, interrupted = false, allowEmpty = false): Verdict {
  if (interrupted) return interruptedVerdict('SIGINT');
  const ran = checks.filter((c) => c.status !== 'skipped');
  if (ran.length === 0 && checks.length > 0 && !allowEmpty) {
    return { exitCode: EXIT.usage, summary: `nothing was checked: all ${checks.length} selected checks were skipped (each says why); --allow-empty accepts a run that checks nothing` };
  }
  if (ran.length > 0 && ran.every((c) => c.status === 'errored' && c.transport)) {
    const classes = [...new Set(ran.map((c) => c.transport))].join(', ');
    return { exitCode: EXIT.unreachable, summary: `the target could not be reached for any check (${classes})` };
  }
  const gating = ran.filter((c) => c.status !== 'passed' && atLeast(c.severity, failOn));
  if (gating.length > 0) {
    const failed = gating.filter((c) => c.status === 'failed').length;
    const errored = gating.length - failed;
    const parts = [failed && `${failed} failed`, errored && `${errored} errored`].filter(Boolean).join(', ');
    return { exitCode: EXIT.findings, summary: `${parts} at or above severity ${failOn}` };
  }
  return { exitCode: EXIT.ok, summary: `no failures at or above severity ${failOn}` };
}

import { relative } from 'node:path';
import type { PlannedCheck, RunPlan } from '../runner/plan.js';
import { formatDuration } from '../util/duration.js';
import { printable } from '../util/printable.js';

/** --list: every selected check id, each followed by the ids of its cases, one per line (each usable with --only). */
export function planList(plan: RunPlan): string {
  return plan.checks.flatMap((check) => [check.id, ...check.cases.map((c) => c.id)]).map((id) => `${id}\n`).join('');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function costLine(check: PlannedCheck): string {
  if (check.notRun) return `not run: ${check.notRun}`;
  if (!check.bounds) return `bounds not known before the run: ${check.unknownBounds}`;
  const { requests, concurrent, durationMs } = check.bounds;
  const quiet = check.quietMs ? `, after up to ${formatDuration(check.quietMs)} with no traffic for the target's quota to recover` : '';
  return `at most ${plural(requests, 'request')}${concurrent ? ' (some at once)' : ''} and ${formatDuration(durationMs)}${quiet}`;
}

function totalsLine(plan: RunPlan): string {
  const t = plan.totals;
  const notRun = t.notRun ? ` (${plural(t.notRun, 'check')} not run)` : '';
  const unknown = t.unknownBounds ? `, plus ${plural(t.unknownBounds, 'check')} whose bounds the run decides` : '';
  const pace = plan.pace ? `; the profile's pace (${plan.pace}/s) adds waits` : '';
  return `${plural(t.checks, 'check')}, ${plural(t.results, 'result')}${notRun}: at most ${plural(t.requests, 'request')} and ${formatDuration(t.durationMs)} run one after another${unknown}${pace}`;
}

/** --dry-run: each check with its kind, severity, title, what it can cost at most, and its cases; then the totals. */
export function planDetail(plan: RunPlan, cwd = process.cwd()): string {
  const lines = [`plan against ${plan.target} (nothing is sent)`];
  let scenario: string | undefined;
  for (const check of plan.checks) {
    if (check.file !== scenario) {
      scenario = check.file;
      lines.push('', `${relative(cwd, check.file) || check.file}: ${printable(check.scenario)}`);
    }
    lines.push(`  ${check.id} (${check.kind}, ${check.severity}): ${printable(check.title)}`, `    ${costLine(check)}`);
    for (const c of check.cases) lines.push(`    - ${c.id} (${c.severity}): ${printable(c.title)}`);
  }
  lines.push('', totalsLine(plan));
  return `${lines.join('\n')}\n`;
}

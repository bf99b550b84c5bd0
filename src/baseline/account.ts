import type { BaselineProblem, BaselineSummary, CheckResult } from '../results/model.js';
import { printable } from '../util/printable.js';

const CODE: Record<BaselineProblem['problem'], string> = { expired: 'E_BASELINE_EXPIRED', stale: 'E_BASELINE_STALE', critical: 'E_BASELINE_CRITICAL' };

/**
 * What the baseline did in a run, for the terminal: how many findings it suppressed and why, then each entry
 * that fails the run, located like a loader error.
 */
export function baselineAccount(summary: BaselineSummary, results: CheckResult[]): string {
  const suppressed = results.filter((r) => r.suppressed);
  const lines = [`baseline ${summary.file}: ${suppressed.length} finding(s) suppressed, ${summary.entries} entr${summary.entries === 1 ? 'y' : 'ies'} for this target`];
  for (const result of suppressed) {
    const { reason, expires, entry } = result.suppressed!;
    lines.push(`  ${result.id} (${result.severity}): ${reason}${expires ? ` [until ${expires}]` : ''} (${entry.file}:${entry.line}:${entry.col})`);
  }
  for (const p of summary.problems) lines.push(`${p.entry.file}:${p.entry.line}:${p.entry.col}: error[${CODE[p.problem]}]: ${p.message}`);
  if (summary.problems.length) lines.push(`${summary.problems.length} baseline entr${summary.problems.length === 1 ? 'y fails' : 'ies fail'} the run.`);
  return printable(lines.join('\n'));
}

import { GauntletError } from '../util/errors.js';
import type { CheckResult, RunResult, ScenarioResult } from './model.js';
import { allChecks, computeTotals, computeVerdict } from './verdict.js';

const byPosition = (a: CheckResult, b: CheckResult) =>
  (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.col ?? 0) - (b.source?.col ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One run from the runs of several shards: scenarios in file order, checks in the order they are written,
 * totals and verdict computed afresh. Overlapping shards (a check id twice) or different gates are refused.
 */
export function mergeRuns(runs: { file: string; run: RunResult }[]): RunResult {
  if (runs.length === 0) throw new GauntletError('E_USAGE', 'report merge needs at least one run report');
  const failOn = runs[0]!.run.options.failOn;
  const mismatch = runs.find((r) => r.run.options.failOn !== failOn);
  if (mismatch) {
    throw new GauntletError('E_MERGE', `${mismatch.file} was run with --fail-on ${mismatch.run.options.failOn}, ${runs[0]!.file} with ${failOn}: merge runs of one configuration`);
  }
  const scenarios = new Map<string, ScenarioResult>();
  const seen = new Map<string, string>();
  for (const { file, run } of runs) {
    for (const scenario of run.scenarios) {
      const key = `${scenario.file}\u0000${scenario.name}`;
      const merged = scenarios.get(key) ?? { ...scenario, checks: [], durationMs: 0 };
      scenarios.set(key, merged);
      merged.durationMs += scenario.durationMs;
      for (const check of scenario.checks) {
        const earlier = seen.get(check.id);
        if (earlier) throw new GauntletError('E_MERGE', `check ${check.id} is in both ${earlier} and ${file}: the shards overlap`);
        seen.set(check.id, file);
        merged.checks.push(check);
      }
    }
  }
  const ordered = [...scenarios.values()]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ ...s, checks: [...s.checks].sort(byPosition) }));
  const starts = runs.map((r) => Date.parse(r.run.startedAt));
  const ends = runs.map((r) => Date.parse(r.run.finishedAt));
  const interrupted = runs.some((r) => r.run.interrupted);
  const checks = allChecks(ordered);
  const first = runs[0]!.run;
  return {
    ...first,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    finishedAt: new Date(Math.max(...ends)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    options: { ...first.options, shard: undefined },
    interrupted,
    scenarios: ordered,
    totals: computeTotals(checks),
    verdict: computeVerdict(checks, failOn, interrupted),
  };
}

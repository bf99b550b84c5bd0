import { mergeCoverage } from './api-coverage.js';
import { parseShard } from '../runner/shard.js';
import { parseSegment } from '../engine/load-segment.js';
import { GauntletError } from '../util/errors.js';
import type { BaselineSummary, CheckResult, RunResult, ScenarioResult } from './model.js';
import { mergeTrust } from './trust.js';
import { allChecks, computeTotals, computeVerdict } from './verdict.js';

const byPosition = (a: CheckResult, b: CheckResult) =>
  (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.col ?? 0) - (b.source?.col ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

type Shards = { file: string; run: RunResult }[];

/** Shards of one run: the same gate, target and selection. */
function assertOneConfiguration(runs: Shards): void {
  const [first, ...rest] = runs;
  const facets: [string, (r: RunResult) => string][] = [
    ['--fail-on', (r) => r.options.failOn],
    ['target', (r) => r.target.url],
    ['--only', (r) => (r.options.only ?? []).join(',') || '(none)'],
    ['--tag', (r) => (r.options.tags ?? []).join(',') || '(none)'],
  ];
  for (const [name, value] of facets) {
    const other = rest.find((r) => value(r.run) !== value(first!.run));
    if (other) throw new GauntletError('E_MERGE', `${other.file} was run with ${name} ${value(other.run)}, ${first!.file} with ${value(first!.run)}: merge the shards of one run`);
  }
}

/** How runs split into parts (shards of the checks, segments of the load) are told apart and checked whole. */
interface PartKind {
  option: 'shard' | 'segment';
  parse(text: string): { index: number; count: number };
  /** Why a missing part matters, after "shard 2/3 is missing: ". */
  whyMissing(several: boolean): string;
}

const SHARDS: PartKind = {
  option: 'shard',
  parse: (text) => {
    const { index, total } = parseShard(text);
    return { index, count: total };
  },
  whyMissing: (several) => `without ${several ? 'them' : 'it'} the merged report would leave checks out and could pass a failing run`,
};

const SEGMENTS: PartKind = {
  option: 'segment',
  parse: (text) => parseSegment(text),
  whyMissing: (several) => `${several ? 'their' : 'its'} load was never merged in, so the whole would be judged on less load than asked for`,
};

/**
 * Runs in parts merge only when every part i/n is there once: a shard that crashed or whose report was lost would
 * leave its checks out, and the merged verdict could pass a failing run; a missing segment's load was never
 * generated, and judging the rest as the whole would judge a smaller load than the one asked for.
 */
function assertEveryPart(runs: Shards, kind: PartKind): void {
  const { option } = kind;
  const parted = runs.filter((r) => r.run.options[option] !== undefined);
  if (parted.length === 0) return;
  const whole = runs.find((r) => r.run.options[option] === undefined);
  if (whole) throw new GauntletError('E_MERGE', `${whole.file} is a whole run and ${parted[0]!.file} is ${option} ${parted[0]!.run.options[option]}: merge the ${option}s of one run`);
  const parts = parted.map((r) => ({ file: r.file, ...kind.parse(r.run.options[option]!) }));
  const count = parts[0]!.count;
  const other = parts.find((s) => s.count !== count);
  if (other) throw new GauntletError('E_MERGE', `${other.file} is one of ${other.count} ${option}s, ${parts[0]!.file} one of ${count}: merge the ${option}s of one run`);
  const twice = parts.find((s, i) => parts.findIndex((o) => o.index === s.index) !== i);
  if (twice) throw new GauntletError('E_MERGE', `${option} ${twice.index}/${count} is given twice (${parts.filter((s) => s.index === twice.index).map((s) => s.file).join(', ')})`);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !parts.some((s) => s.index === i));
  if (missing.length) {
    throw new GauntletError('E_MERGE', `${option} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: ${kind.whyMissing(missing.length > 1)}`);
  }
}

/** Combines the results of one load check measured in several segments into one (see checks/load/merge-segments). */
export type SegmentCombiner = (parts: { file: string; check: CheckResult }[]) => CheckResult;

/**
 * One run from the runs of several shards: scenarios in file order, checks in the order they are written,
 * totals and verdict computed afresh. Overlapping shards (a check id twice), a missing shard, or shards of
 * different runs (gate, target, selection) are refused.
 */
export function mergeRuns(runs: { file: string; run: RunResult }[], combineSegments?: SegmentCombiner): RunResult {
  if (runs.length === 0) throw new GauntletError('E_USAGE', 'report merge needs at least one run report');
  const failOn = runs[0]!.run.options.failOn;
  assertOneConfiguration(runs);
  assertEveryPart(runs, SHARDS);
  assertEveryPart(runs, SEGMENTS);
  const scenarios = new Map<string, ScenarioResult>();
  const seen = new Map<string, { file: string; check: CheckResult }[]>();
  for (const { file, run } of runs) {
    for (const scenario of run.scenarios) {
      const key = `${scenario.file}\u0000${scenario.name}`;
      const merged = scenarios.get(key) ?? { ...scenario, checks: [], durationMs: 0 };
      scenarios.set(key, merged);
      merged.durationMs = run.options.segment ? Math.max(merged.durationMs, scenario.durationMs) : merged.durationMs + scenario.durationMs;
      for (const check of scenario.checks) {
        const earlier = seen.get(check.id);
        if (earlier && !run.options.segment) throw new GauntletError('E_MERGE', `check ${check.id} is in both ${earlier[0]!.file} and ${file}: the shards overlap`);
        if (earlier) earlier.push({ file, check });
        else {
          seen.set(check.id, [{ file, check }]);
          merged.checks.push(check);
        }
      }
    }
  }
  for (const merged of scenarios.values()) {
    merged.checks = merged.checks.map((check) => {
      const parts = seen.get(check.id)!;
      if (parts.length === 1) return check;
      if (!combineSegments) throw new GauntletError('E_MERGE', `check ${check.id} is in ${parts.length} segment reports and nothing here can combine them`);
      return combineSegments(parts);
    });
  }
  const ordered = [...scenarios.values()]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ ...s, checks: [...s.checks].sort(byPosition) }));
  const starts = runs.map((r) => Date.parse(r.run.startedAt));
  const ends = runs.map((r) => Date.parse(r.run.finishedAt));
  const interrupted = runs.some((r) => r.run.interrupted);
  const checks = allChecks(ordered);
  const first = runs[0]!.run;
  const baseline = mergeBaselines(runs.map((r) => r.run.baseline), checks);
  return {
    ...first,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    finishedAt: new Date(Math.max(...ends)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    options: { ...first.options, shard: undefined, segment: undefined },
    interrupted,
    scenarios: ordered,
    totals: computeTotals(checks),
    verdict: computeVerdict(checks, failOn, interrupted, baseline?.problems, first.options.allowEmpty),
    coverage: mergeCoverage(runs.map((r) => r.run.coverage)),
    baseline,
    trust: mergeTrust(runs.map((r) => r.run.trust)),
  };
}

/**
 * The baseline's account of the whole run: each shard judged the entries of its own checks, and every shard
 * reports an expired entry or one naming no check, so the problems are the shards' without repeats.
 */
function mergeBaselines(summaries: (BaselineSummary | undefined)[], checks: CheckResult[]): BaselineSummary | undefined {
  const present = summaries.filter((s): s is BaselineSummary => s !== undefined);
  if (present.length === 0) return undefined;
  const problems = new Map(present.flatMap((s) => s.problems).map((p) => [`${p.entry.file}:${p.entry.line}:${p.entry.col} ${p.message}`, p]));
  return { file: present[0]!.file, entries: present[0]!.entries, suppressed: checks.filter((c) => c.suppressed).length, problems: [...problems.values()] };
}

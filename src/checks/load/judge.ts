import type { LoadOutcomeRun, LoadShare } from '../../engine/load-engine.js';
import type { LoadTally } from '../../engine/load-tally.js';
import type { AssertionResult, Evidence, Exchange } from '../../results/model.js';
import { parseDuration } from '../../util/duration.js';
import { countsText } from '../tally.js';
import type { CheckOutcome } from '../types.js';
import type { DeclaredLimit } from './declared-limit.js';
import { classifier, latencyChart, summarise, timeline, type LoadSummary } from './metrics.js';
import type { LatencyThresholds, LoadSpec } from './spec.js';

/** Everything a load verdict depends on besides the measurements: kept in a segment's report, so a merge can judge. */
export interface LoadJudging {
  expect?: LoadSpec['expect'];
  abort?: LoadSpec['abort'];
  limit?: DeclaredLimit;
  refusedStatus: number[];
  admittedStatus?: LoadSpec['admittedStatus'];
}

export function judgingOf(spec: LoadSpec, limit: DeclaredLimit | undefined): LoadJudging {
  return { expect: spec.expect, abort: spec.abort, limit, refusedStatus: spec.refusedStatus ?? [429], admittedStatus: spec.admittedStatus };
}

/** Without thresholds a load run still has to be clean: few transport errors and few unexpected statuses. */
const DEFAULT_EXPECT: NonNullable<LoadSpec['expect']> = { errorShare: { max: 0.01 }, otherNon2xxShare: { max: 0.01 } };

const DEFAULT_ABORT_AFTER_MS = 1000;

function tolerance(value: number | string | undefined, target: number): number {
  if (value === undefined) return target * 0.1;
  if (typeof value === 'string') return (Number(value.replace('%', '')) / 100) * target;
  return value * target;
}

function latencyAssertions(group: 'admitted' | 'refused', limits: LatencyThresholds | undefined, summary: LoadSummary): AssertionResult[] {
  return Object.entries(limits ?? {}).map(([p, limit]) => {
    const max = parseDuration(limit as string | number)!;
    const actual = summary.latencyMs[group][p];
    return {
      name: `${group} latency ${p}`,
      passed: actual !== undefined && actual <= max,
      expected: `<= ${max}ms`,
      actual: actual === undefined ? `no ${group} responses` : `${actual.toFixed(2)}ms`,
    };
  });
}

function shareAssertion(name: string, count: number, total: number, bounds: { min?: number; max?: number }): AssertionResult[] {
  const share = total ? count / total : 0;
  const shown = `${(share * 100).toFixed(1)}% (${count} of ${total})`;
  const out: AssertionResult[] = [];
  if (bounds.min !== undefined) out.push({ name: `${name} share`, passed: share >= bounds.min, expected: `>= ${(bounds.min * 100).toFixed(1)}%`, actual: shown });
  if (bounds.max !== undefined) out.push({ name: `${name} share`, passed: share <= bounds.max, expected: `<= ${(bounds.max * 100).toFixed(1)}%`, actual: shown });
  return out;
}

/**
 * Whatever the algorithm, a limit of `limit` per window admits at most `limit` for each window the run touched
 * and one more window's worth (a burst saved up, a fixed window's edge): more than that and the limit is not enforced.
 */
function withinDeclaredLimit(limit: DeclaredLimit, summary: LoadSummary): AssertionResult {
  const most = limit.limit * (Math.ceil(summary.durationMs / limit.windowMs) + 1);
  return {
    name: 'admitted within the declared limit',
    passed: summary.admitted <= most,
    expected: `at most ${most} in ${(summary.durationMs / 1000).toFixed(1)}s (${limit.described}, one window's worth of slack)`,
    actual: `${summary.admitted} admitted`,
  };
}

/**
 * The abort condition, asked of the data merged so far about once a second: the first threshold it breaks, once
 * `after` has passed. Only conditions a partial run can already break for good are allowed here (shares of bad
 * answers, latency, a count of admissions that can only grow).
 */
export function abortCondition(judging: LoadJudging): ((tally: LoadTally, elapsedMs: number) => string | undefined) | undefined {
  const abort = judging.abort;
  if (!abort) return undefined;
  const after = abort.after === undefined ? DEFAULT_ABORT_AFTER_MS : parseDuration(abort.after)!;
  const classify = classifier(judging.refusedStatus, judging.admittedStatus);
  return (tally, elapsedMs) => {
    if (elapsedMs < after || tally.count === 0) return undefined;
    const summary = summarise(tally, elapsedMs, classify);
    const checks: AssertionResult[] = [
      ...(abort.admitted ? [{ name: 'admitted', passed: summary.admitted <= abort.admitted.max, expected: `<= ${abort.admitted.max}`, actual: String(summary.admitted) }] : []),
      ...(abort.errorShare ? shareAssertion('transport error', summary.errors, summary.responses, abort.errorShare) : []),
      ...(abort.otherNon2xxShare ? shareAssertion('other non-2xx', summary.other, summary.responses, abort.otherNon2xxShare) : []),
      ...latencyAssertions('admitted', abort.latency?.admitted, summary).filter((a) => summary.latencyMs.admitted[a.name.split(' ').pop()!] !== undefined),
      ...latencyAssertions('refused', abort.latency?.refused, summary).filter((a) => summary.latencyMs.refused[a.name.split(' ').pop()!] !== undefined),
    ];
    const broken = checks.find((a) => !a.passed);
    return broken ? `${broken.name}: expected ${broken.expected}, got ${broken.actual} after ${(elapsedMs / 1000).toFixed(1)}s` : undefined;
  };
}

/** `worker 2 (127.0.0.3): 4 210 responses, 3 980 admitted`: what each part contributed. */
function shareLines(shares: LoadShare[] | undefined, classify: (status: number) => string): string[] {
  return (shares ?? []).map((share) => {
    const admitted = Object.entries(share.tally.statuses).reduce((n, [status, e]) => n + (classify(Number(status)) === 'admitted' ? e.count : 0), 0);
    const refused = Object.entries(share.tally.statuses).reduce((n, [status, e]) => n + (classify(Number(status)) === 'refused' ? e.count : 0), 0);
    const from = share.sourceAddress ? ` from ${share.sourceAddress}` : '';
    return `${share.worker}${from} (segment ${share.segment}): ${share.responses} responses, ${admitted} admitted, ${refused} refused${share.lost ? `; ${share.lost}` : ''}`;
  });
}

/** The verdict of a load run from its (merged) measurements: the same whether one process or many made them. */
export function judgeLoad(run: LoadOutcomeRun, judging: LoadJudging, exchanges: Exchange[]): CheckOutcome {
  const classify = classifier(judging.refusedStatus, judging.admittedStatus);
  const summary = summarise(run.tally, run.durationMs, classify);
  const limit = judging.limit;
  const limitPerBucket = limit ? (limit.limit / limit.windowMs) * 100 : undefined;
  const parts = shareLines(run.shares, classify);
  const evidence: Evidence = {
    exchanges,
    charts: [timeline(run.tally, run.durationMs, classify, `responses per 100 ms${limit ? ` (declared limit ${limit.described})` : ''}`, limitPerBucket), latencyChart(summary)],
    data: { summary, stoppedBy: run.stoppedBy, errorSamples: run.tally.errorSamples, ...(run.shares ? { shares: run.shares.map(({ tally, ...rest }) => ({ ...rest, statusCounts: Object.fromEntries(Object.entries(tally.statuses).map(([status, e]) => [status === '0' ? 'error' : status, e.count])) })) } : {}) },
    notes: [...(run.notes ?? []), ...parts, ...run.tally.errorSamples.map((m) => `transport error: ${m}`)],
  };
  const seconds = (summary.durationMs / 1000).toFixed(1);

  if (run.stoppedBy === 'interrupted') {
    return { status: 'errored', message: `interrupted after ${seconds}s of load, before its end: what was measured is kept, but proves nothing about the whole run [E_INTERRUPTED]`, evidence };
  }
  if (run.stoppedBy === 'worker-lost') {
    const lost = (run.shares ?? []).filter((s) => s.lost).map((s) => `${s.worker}: ${s.lost}`);
    return { status: 'errored', message: `a load worker was lost after ${seconds}s (${lost.join('; ')}): what the others measured is kept (${summary.responses} responses), but the load was not the one asked for [E_WORKER_LOST]`, evidence };
  }
  if (run.stoppedBy === 'aborted') {
    return {
      status: 'failed',
      message: `aborted: ${run.abortReason} (${summary.responses} responses, ${summary.admitted} admitted, ${summary.refused} refused, ${summary.errors} errors)`,
      assertions: [{ name: 'abort condition', passed: false, expected: 'not met during the run', actual: run.abortReason ?? 'met' }],
      evidence,
    };
  }
  if (summary.responses === 0 || summary.errors === summary.responses) {
    return { status: 'errored', message: `no HTTP response arrived during the load run (${summary.errors} transport errors): a TLS rejection or a dead target looks like this`, evidence };
  }
  if (run.stoppedBy === 'deadline') {
    return { status: 'errored', message: `the target stalled the end of the run: stopped by gauntlet's deadline after ${seconds}s with ${summary.responses} responses, before the run's own end [E_LOAD_DEADLINE]`, evidence };
  }
  // Nothing served proves nothing under load, unless the check's claim is exactly that every request is refused.
  if (summary.admitted === 0 && judging.expect?.refusedShare?.min !== 1) {
    const statuses = countsText(Object.entries(summary.statusCounts));
    return { status: 'errored', message: `cannot conclude: no response of the load run was admitted (${statuses}), so nothing was served under load [E_PRECONDITION]`, evidence };
  }

  const expect = judging.expect ?? DEFAULT_EXPECT;
  const assertions: AssertionResult[] = [];
  if (expect.admittedRate) {
    const target = expect.admittedRate.target === 'limit' ? (limit ? (limit.limit * 1000) / limit.windowMs : Number.NaN) : expect.admittedRate.target;
    const allowed = tolerance(expect.admittedRate.tolerance, target);
    assertions.push({
      name: 'admitted rate',
      passed: Math.abs(summary.admittedPerSecond - target) <= allowed,
      expected: `${target}/s ± ${allowed.toFixed(1)}`,
      actual: `${summary.admittedPerSecond.toFixed(1)}/s`,
    });
  }
  if (limit) assertions.push(withinDeclaredLimit(limit, summary));
  if (expect.refusedShare) assertions.push(...shareAssertion('refused', summary.refused, summary.responses, expect.refusedShare));
  if (expect.otherNon2xxShare) assertions.push(...shareAssertion('other non-2xx', summary.other, summary.responses, expect.otherNon2xxShare));
  if (expect.errorShare) assertions.push(...shareAssertion('transport error', summary.errors, summary.responses, expect.errorShare));
  assertions.push(...latencyAssertions('admitted', expect.latency?.admitted, summary), ...latencyAssertions('refused', expect.latency?.refused, summary));

  const failures = assertions.filter((a) => !a.passed);
  const workers = run.shares && run.shares.length > 1 ? ` from ${run.shares.length} workers` : '';
  const headline = `${summary.responses} responses${workers} in ${seconds}s: ${summary.admitted} admitted (${summary.admittedPerSecond.toFixed(1)}/s), ${summary.refused} refused, ${summary.other} other, ${summary.errors} errors`;
  return {
    status: failures.length ? 'failed' : 'passed',
    message: failures.length ? `${failures.map((a) => `${a.name}: expected ${a.expected}, got ${a.actual}`).join('; ')} (${headline})` : headline,
    assertions,
    evidence,
  };
}

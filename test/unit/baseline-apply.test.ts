import { describe, expect, it } from 'vitest';
import { Baseline } from '../../src/baseline/baseline.js';
import type { BaselineEntry } from '../../src/baseline/entry.js';
import type { CheckResult } from '../../src/results/model.js';
import { computeTotals, computeVerdict } from '../../src/results/verdict.js';

const TARGET = 'http://127.0.0.1:8080';
const TODAY = '2026-03-15';

const result = (id: string, status: CheckResult['status'], severity: CheckResult['severity'] = 'medium', testCase?: string): CheckResult => ({
  id,
  case: testCase,
  kind: testCase ? 'api-key' : 'http',
  title: id,
  scenario: 's',
  severity,
  status,
  message: status,
  tags: [],
  evidence: {},
  startedAt: '2026-03-15T10:00:00.000Z',
  durationMs: 1,
});

let line = 0;
const entry = (id: string, fields: Partial<BaselineEntry> = {}): BaselineEntry => ({
  id,
  reason: `accept ${id}`,
  allowCritical: false,
  at: { file: 'baseline.yaml', line: ++line, col: 7 },
  ...fields,
});

const KNOWN = new Set(['headers.server', 'headers.hsts', 'keys.matrix', 'admin.open']);
const baselineOf = (...entries: BaselineEntry[]) => new Baseline({ file: 'baseline.yaml', entries }, TARGET, KNOWN, TODAY);

describe('a baseline applied to a run', () => {
  it('marks the failure it accepts, with the reason, date and entry, and leaves passes and errors alone', () => {
    const server = entry('headers.server', { expires: '2026-03-15' });
    const baseline = baselineOf(server);
    expect(baseline.suppress(result('headers.server', 'failed')).suppressed).toEqual({ reason: 'accept headers.server', expires: '2026-03-15', entry: server.at });
    expect(baseline.suppress(result('headers.server', 'errored')).suppressed).toBeUndefined();
    expect(baseline.suppress(result('headers.hsts', 'failed')).suppressed).toBeUndefined();
  });

  it('names a case by its id, or every case of a check by the check id; the case entry wins', () => {
    const whole = entry('keys.matrix');
    const revoked = entry('keys.matrix.revoked');
    const baseline = baselineOf(whole, revoked);
    expect(baseline.suppress(result('keys.matrix.expired', 'failed', 'high', 'expired')).suppressed?.entry).toEqual(whole.at);
    expect(baseline.suppress(result('keys.matrix.revoked', 'failed', 'high', 'revoked')).suppressed?.entry).toEqual(revoked.at);
  });

  it('takes no part in a run against another target; an entry without a target holds for every one', () => {
    const elsewhere = baselineOf(entry('headers.server', { target: 'https://prod.example.com' }), entry('headers.hsts', { target: 'http://127.0.0.1:8080/' }));
    expect(elsewhere.suppress(result('headers.server', 'failed')).suppressed).toBeUndefined();
    expect(elsewhere.suppress(result('headers.hsts', 'failed')).suppressed).toBeDefined();
    const summary = elsewhere.summarize([result('headers.server', 'passed'), result('headers.hsts', 'failed')], KNOWN, false);
    expect(summary).toMatchObject({ entries: 1, problems: [] });
  });

  it('does not accept a failure once the entry has expired, and names the entry; it holds through its last day', () => {
    const old = entry('headers.server', { expires: '2026-03-14' });
    const baseline = baselineOf(old, entry('headers.hsts', { expires: TODAY }));
    const results = [baseline.suppress(result('headers.server', 'failed')), baseline.suppress(result('headers.hsts', 'failed'))];
    expect(results.map((r) => Boolean(r.suppressed))).toEqual([false, true]);
    const { problems } = baseline.summarize(results, KNOWN, false);
    expect(problems).toEqual([{ problem: 'expired', id: 'headers.server', entry: old.at, message: expect.stringContaining('headers.server expired on 2026-03-14') }]);
  });

  it('never accepts a critical failure without allowCritical, and says so', () => {
    const baseline = baselineOf(entry('admin.open'));
    const shown = baseline.suppress(result('admin.open', 'failed', 'critical'));
    expect(shown.suppressed).toBeUndefined();
    expect(baseline.summarize([shown], KNOWN, false).problems.map((p) => p.problem)).toEqual(['critical']);
    expect(baselineOf(entry('admin.open', { allowCritical: true })).suppress(result('admin.open', 'failed', 'critical')).suppressed).toBeDefined();
  });
});

describe('stale entries', () => {
  const staleIds = (entries: BaselineEntry[], results: CheckResult[], ran = KNOWN, interrupted = false) =>
    baselineOf(...entries)
      .summarize(results, ran, interrupted)
      .problems.filter((p) => p.problem === 'stale')
      .map((p) => p.id);

  it('is an entry whose check ran and passed, or that names no check of the scenarios at all', () => {
    expect(staleIds([entry('headers.server'), entry('headers.renamed')], [result('headers.server', 'passed')])).toEqual(['headers.server', 'headers.renamed']);
  });

  it('is an entry naming a case its check, which ran, no longer has', () => {
    expect(staleIds([entry('keys.matrix.gone')], [result('keys.matrix.expired', 'passed', 'high', 'expired')])).toEqual(['keys.matrix.gone']);
  });

  it('is not an entry for a check this run was not given (--only, --tag, --shard)', () => {
    expect(staleIds([entry('headers.server')], [result('headers.hsts', 'passed')], new Set(['headers.hsts']))).toEqual([]);
  });

  it('is not an entry whose results were skipped or errored, or of an interrupted run: there is no telling', () => {
    expect(staleIds([entry('headers.server'), entry('headers.hsts')], [result('headers.server', 'skipped'), result('headers.hsts', 'errored')])).toEqual([]);
    expect(staleIds([entry('headers.server')], [result('headers.server', 'passed')], KNOWN, true)).toEqual([]);
  });

  it('is not an entry for a whole check with one case still failing', () => {
    const results = [result('keys.matrix.expired', 'passed', 'high', 'expired'), result('keys.matrix.revoked', 'failed', 'high', 'revoked')];
    expect(staleIds([entry('keys.matrix')], results)).toEqual([]);
  });
});

describe('the verdict with a baseline', () => {
  it('passes when every failure is accepted, counting them apart from the findings', () => {
    const checks = [{ ...result('headers.server', 'failed', 'high'), suppressed: { reason: 'r', entry: { file: 'b.yaml', line: 1, col: 7 } } }, result('headers.hsts', 'passed')];
    expect(computeVerdict(checks, 'info')).toEqual({ exitCode: 0, summary: 'no failures at or above severity info (1 suppressed by the baseline)' });
    expect(computeTotals(checks)).toMatchObject({ byStatus: { failed: 1 }, findingsBySeverity: { high: 0 }, suppressed: 1 });
  });

  it('fails on an expired or stale entry, saying how many', () => {
    const at = { file: 'b.yaml', line: 1, col: 7 };
    const verdict = computeVerdict([result('headers.hsts', 'passed')], 'info', false, [
      { problem: 'expired', id: 'a', entry: at, message: '' },
      { problem: 'stale', id: 'b', entry: at, message: '' },
      { problem: 'stale', id: 'c', entry: at, message: '' },
    ]);
    expect(verdict).toEqual({ exitCode: 1, summary: 'baseline: 1 entry expired, 2 entries stale' });
  });
});

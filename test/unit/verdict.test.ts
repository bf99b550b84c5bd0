import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/results/model.js';
import { computeTotals, computeVerdict, interruptedVerdict } from '../../src/results/verdict.js';

const check = (status: CheckResult['status'], severity: CheckResult['severity'], transport?: CheckResult['transport']): CheckResult => ({
  id: `c.${Math.random()}`,
  kind: 'http',
  title: 't',
  scenario: 's',
  severity,
  status,
  message: '',
  tags: [],
  transport,
  evidence: {},
  startedAt: new Date().toISOString(),
  durationMs: 1,
});

describe('verdict', () => {
  it('passes when nothing at or above the threshold failed', () => {
    expect(computeVerdict([check('passed', 'high'), check('failed', 'low')], 'medium').exitCode).toBe(0);
  });
  it('fails on a failed check at the threshold', () => {
    expect(computeVerdict([check('passed', 'high'), check('failed', 'medium')], 'medium').exitCode).toBe(1);
  });
  it('counts an errored check against the gate', () => {
    expect(computeVerdict([check('passed', 'high'), check('errored', 'high')], 'info').exitCode).toBe(1);
  });
  it('says unreachable when every check that ran failed on the transport', () => {
    const v = computeVerdict([check('errored', 'high', 'refused'), check('errored', 'low', 'refused'), check('skipped', 'low')], 'info');
    expect(v.exitCode).toBe(3);
    expect(v.summary).toContain('refused');
  });
  it('is not unreachable when one check got an answer', () => {
    expect(computeVerdict([check('errored', 'high', 'refused'), check('failed', 'low')], 'info').exitCode).toBe(1);
  });
  it('says interrupted with 130', () => {
    expect(computeVerdict([check('passed', 'high')], 'info', true).exitCode).toBe(130);
  });
  it('names the signal that stopped a run, with its exit code', () => {
    expect(interruptedVerdict('SIGTERM')).toEqual({ exitCode: 143, summary: 'interrupted by SIGTERM before all checks ran' });
    expect(interruptedVerdict('SIGHUP')).toEqual({ exitCode: 129, summary: 'interrupted by SIGHUP before all checks ran' });
  });
  it('totals by status and findings by severity', () => {
    const totals = computeTotals([check('passed', 'high'), check('failed', 'high'), check('failed', 'low'), check('skipped', 'low')]);
    expect(totals.byStatus).toEqual({ passed: 1, failed: 2, errored: 0, skipped: 1 });
    expect(totals.findingsBySeverity.high).toBe(1);
    expect(totals.findingsBySeverity.low).toBe(1);
  });
});

describe('a run that checked nothing', () => {
  const skipped = (id: string) => ({ id, kind: 'http', title: id, scenario: 's', severity: 'high', status: 'skipped', message: 'not run: it needs vars.readPath', tags: [], evidence: {}, startedAt: '', durationMs: 0 }) as CheckResult;

  it('is exit 2, not a pass, when every selected check was skipped', () => {
    expect(computeVerdict([skipped('a'), skipped('b')], 'info')).toEqual({ exitCode: 2, summary: expect.stringMatching(/^nothing was checked: all 2 selected checks were skipped/) });
  });

  it('passes with allowEmpty, and a run without checks (an empty shard) passes anyway', () => {
    expect(computeVerdict([skipped('a')], 'info', false, [], true).exitCode).toBe(0);
    expect(computeVerdict([], 'info').exitCode).toBe(0);
  });
});

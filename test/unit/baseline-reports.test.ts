import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { renderSarif } from '../../src/report/sarif.js';
import { mergeRuns } from '../../src/results/merge.js';
import type { BaselineSummary, CheckResult, RunResult } from '../../src/results/model.js';
import { computeTotals, computeVerdict } from '../../src/results/verdict.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

const base: RunResult = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/runs/charts-run.json'), 'utf8'));
const template = base.scenarios[0]!.checks[0]!;
const ENTRY = { file: 'baseline.yaml', line: 3, col: 7 };

const check = (id: string, status: CheckResult['status'], suppressed = false): CheckResult => ({
  ...template,
  id,
  status,
  severity: 'medium',
  message: `${id} ${status}`,
  ...(suppressed ? { suppressed: { reason: 'the CDN strips it', expires: '2030-01-31', entry: ENTRY } } : {}),
});

function runOf(checks: CheckResult[], extra: Partial<RunResult> = {}): RunResult {
  return { ...base, scenarios: [{ ...base.scenarios[0]!, checks }], totals: computeTotals(checks), verdict: computeVerdict(checks, 'info'), ...extra };
}

describe('reports of a run with accepted findings', () => {
  const run = runOf([check('a.accepted', 'failed', true), check('a.open', 'failed'), check('a.fine', 'passed')]);

  it('JUnit: an accepted failure is a skipped testcase with the reason, so CI test views count only the open one', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderJunit(run));
    const suite = xml.testsuites.testsuite;
    expect(suite).toMatchObject({ failures: '1', skipped: '1', tests: '3' });
    const accepted = suite.testcase.find((t: { name: string }) => t.name.startsWith('a.accepted'));
    expect(accepted.skipped).toEqual({ type: 'suppressed', message: 'suppressed by the baseline: the CDN strips it (until 2030-01-31)' });
    expect(accepted.failure).toBeUndefined();
    expect(accepted.properties.property).toEqual(
      expect.arrayContaining([
        { name: 'gauntlet.status', value: 'failed' },
        { name: 'baseline.reason', value: 'the CDN strips it' },
        { name: 'baseline.entry', value: 'baseline.yaml:3:7' },
      ]),
    );
  });

  it('SARIF: the result stays, with an external, accepted suppression justified by the reason; the log validates', () => {
    const sarif = JSON.parse(renderSarif(run));
    expect(sarifSchema()(sarif), JSON.stringify(sarifSchema().errors)).toBe(true);
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(2);
    const accepted = results.find((r: { properties: { checkId: string } }) => r.properties.checkId === 'a.accepted');
    expect(accepted.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'the CDN strips it',
        location: { physicalLocation: { artifactLocation: { uri: 'baseline.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 7 } } },
        properties: { expires: '2030-01-31' },
      },
    ]);
    expect(results.find((r: { properties: { checkId: string } }) => r.properties.checkId === 'a.open').suppressions).toBeUndefined();
  });
});

describe('merging the shards of a run with a baseline', () => {
  it('keeps each problem once and fails on them, and counts the accepted findings of every shard', () => {
    const expired = { problem: 'expired' as const, id: 'x', entry: { ...ENTRY, line: 9 }, message: 'x expired on 2020-01-01' };
    const stale = { problem: 'stale' as const, id: 'a.fine', entry: { ...ENTRY, line: 12 }, message: 'a.fine passed in this run' };
    const summary = (problems: BaselineSummary['problems'], suppressed: number): BaselineSummary => ({ file: 'baseline.yaml', entries: 3, suppressed, problems });
    const one = runOf([check('a.accepted', 'failed', true)], { options: { failOn: 'info', shard: '1/2' }, baseline: summary([expired], 1) });
    const two = runOf([check('a.fine', 'passed')], { options: { failOn: 'info', shard: '2/2' }, baseline: summary([expired, stale], 0) });
    const merged = mergeRuns([
      { file: 'one.json', run: one },
      { file: 'two.json', run: two },
    ]);
    expect(merged.baseline).toEqual(summary([expired, stale], 1));
    expect(merged.verdict).toEqual({ exitCode: 1, summary: 'baseline: 1 entry expired, 1 entry stale' });
  });
});

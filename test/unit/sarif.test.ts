import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunResult, Severity } from '../../src/results/model.js';
import { renderSarif } from '../../src/report/sarif.js';

const base: RunResult = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/runs/charts-run.json'), 'utf8'));

function expiredCase(id: string, severity: Severity): CheckResult {
  const check = base.scenarios[0]!.checks[0]!;
  return { ...check, id: `${id}.expired`, kind: 'mtls', case: 'expired', severity, status: 'failed', title: 'an expired client certificate is rejected', message: 'accepted' };
}

describe('SARIF rules', () => {
  it('give a rule the gravest severity among its checks, whichever comes first', () => {
    const run: RunResult = { ...base, scenarios: [{ ...base.scenarios[0]!, checks: [expiredCase('staging', 'low'), expiredCase('prod', 'critical')] }] };
    const sarif = JSON.parse(renderSarif(run));
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ id: 'mtls/expired', defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '9.5' } });
    expect(sarif.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['note', 'error']);
  });
});

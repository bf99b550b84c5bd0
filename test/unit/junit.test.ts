import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { renderJunit } from '../../src/report/junit.js';

const base: RunResult = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/runs/charts-run.json'), 'utf8'));

const REVOKED = {
  owasp: { id: 'API2:2023', title: 'Broken Authentication', url: 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/' },
  cwe: { id: 287, title: 'Improper Authentication', url: 'https://cwe.mitre.org/data/definitions/287.html' },
};

interface Testcase {
  name: string;
  properties?: { property: { name: string; value: string }[] };
  failure?: { type: string };
}

function testcases(checks: CheckResult[]): Testcase[] {
  const run: RunResult = { ...base, scenarios: [{ ...base.scenarios[0]!, checks }] };
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testcase', 'property'].includes(name) });
  return parser.parse(renderJunit(run)).testsuites.testsuite.testcase;
}

describe('JUnit testcase properties', () => {
  const [wrong, health] = [base.scenarios[0]!.checks[4]!, base.scenarios[0]!.checks[5]!];

  it("carry the check's OWASP category and CWE, before its failure", () => {
    const [failed, passed] = testcases([
      { ...wrong, taxonomy: REVOKED },
      { ...health, taxonomy: { cwe: { id: 1333, url: 'https://cwe.mitre.org/data/definitions/1333.html' } } },
    ]);
    expect(failed!.properties!.property).toEqual([
      { name: 'owasp', value: 'API2:2023' },
      { name: 'owasp.title', value: 'Broken Authentication' },
      { name: 'cwe', value: 'CWE-287' },
      { name: 'cwe.title', value: 'Improper Authentication' },
    ]);
    expect(failed!.failure).toMatchObject({ type: 'medium' });
    // A CWE gauntlet has no name for: the id alone.
    expect(passed!.properties!.property).toEqual([{ name: 'cwe', value: 'CWE-1333' }]);
  });

  it('are absent for a check filed nowhere, and for runs saved before checks were filed', () => {
    expect(testcases(base.scenarios[0]!.checks).every((c) => c.properties === undefined)).toBe(true);
  });
});

describe('JUnit failures', () => {
  it('say what to change and how to reproduce the finding', () => {
    const wrong = base.scenarios[0]!.checks[4]!;
    const check: CheckResult = {
      ...wrong,
      remediation: { summary: 'Serve TLS 1.2 and TLS 1.3 only.', settings: [{ place: 'nginx', setting: 'ssl_protocols TLSv1.2 TLSv1.3;' }] },
      reproduce: { curl: '# request 1 (answered 200)\ncurl -i \\\n  -H "X-API-Key: ${GAUNTLET_KEY_MAIN}" \\\n  http://127.0.0.1/x', variables: [{ name: 'GAUNTLET_KEY_MAIN', meaning: "the profile's API key 'main'" }] },
    };
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    const failure = parser.parse(renderJunit({ ...base, scenarios: [{ ...base.scenarios[0]!, checks: [check] }] })).testsuites.testsuite.testcase.failure['#text'] as string;
    expect(failure).toContain('what to change: Serve TLS 1.2 and TLS 1.3 only.\n  nginx: ssl_protocols TLSv1.2 TLSv1.3;');
    expect(failure).toContain(`reproduce (set the variables below first):\n${check.reproduce!.curl}\n  $GAUNTLET_KEY_MAIN: the profile's API key 'main'`);
  });
});

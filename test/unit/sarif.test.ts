import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunResult, Severity } from '../../src/results/model.js';
import { renderSarif } from '../../src/report/sarif.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

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

describe('SARIF taxonomies (OWASP API Top 10 2023, CWE)', () => {
  const filed = (id: string, kind: string, testCase: string | undefined, status: CheckResult['status'], owasp?: [string, string], cwe?: [number, string?]): CheckResult => ({
    ...base.scenarios[0]!.checks[0]!,
    id,
    kind,
    case: testCase,
    status,
    severity: 'high',
    title: `${id} holds`,
    taxonomy: {
      ...(owasp ? { owasp: { id: owasp[0], title: owasp[1], url: `https://owasp.example/${owasp[0]}` } } : {}),
      ...(cwe ? { cwe: { id: cwe[0], ...(cwe[1] ? { title: cwe[1] } : {}), url: `https://cwe.mitre.org/data/definitions/${cwe[0]}.html` } } : {}),
    },
  });
  const checks: CheckResult[] = [
    filed('cors.wildcard', 'cors', 'wildcard', 'passed', ['API8:2023', 'Security Misconfiguration'], [942, 'Permissive Cross-domain Policy with Untrusted Domains']),
    filed('keys.revoked', 'api-key', 'revoked', 'failed', ['API2:2023', 'Broken Authentication'], [287, 'Improper Authentication']),
    // The same rule, refiled by its scenario: the rule relates to both filings.
    filed('admin-keys.revoked', 'api-key', 'revoked', 'failed', ['API5:2023', 'Broken Function Level Authorization'], [287, 'Improper Authentication']),
    filed('orders.other-owner', 'http', undefined, 'failed', undefined, [1333]),
    { ...base.scenarios[0]!.checks[0]!, id: 'plain', kind: 'http', case: undefined, status: 'failed' },
  ];
  const run: RunResult = { ...base, scenarios: [{ ...base.scenarios[0]!, checks }] };
  const sarif = JSON.parse(renderSarif(run));
  const [owasp, cwe] = sarif.runs[0].taxonomies;
  const rules = sarif.runs[0].tool.driver.rules;
  const ruleNamed = (id: string) => rules.find((r: { id: string }) => r.id === id);

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifSchema();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('declare one taxonomy per framework, with the taxa used and no others, in order', () => {
    expect(owasp).toMatchObject({ name: 'OWASP API Security Top 10', version: '2023', organization: 'OWASP Foundation', informationUri: expect.stringContaining('/2023/') });
    expect(owasp.taxa).toEqual([
      { id: 'API2:2023', name: 'Broken Authentication', shortDescription: { text: 'API2:2023 Broken Authentication' }, helpUri: 'https://owasp.example/API2:2023' },
      expect.objectContaining({ id: 'API5:2023' }),
      expect.objectContaining({ id: 'API8:2023' }),
    ]);
    expect(cwe).toMatchObject({ name: 'CWE', organization: 'MITRE' });
    expect(cwe.taxa.map((t: { id: string; name: string }) => [t.id, t.name])).toEqual([
      ['287', 'Improper Authentication'],
      ['942', 'Permissive Cross-domain Policy with Untrusted Domains'],
      ['1333', 'CWE-1333'],
    ]);
    expect(sarif.runs[0].tool.driver.supportedTaxonomies).toEqual([
      { name: 'OWASP API Security Top 10', index: 0 },
      { name: 'CWE', index: 1 },
    ]);
  });

  it('relate each rule to its taxa, and tag it with the OWASP id and CWE', () => {
    const revoked = ruleNamed('api-key/revoked');
    const targets = revoked.relationships.map((r: { target: { id: string; index: number; toolComponent: { name: string; index: number } } }) => r.target);
    expect(targets).toEqual([
      { id: 'API2:2023', index: 0, toolComponent: { name: 'OWASP API Security Top 10', index: 0 } },
      { id: '287', index: 0, toolComponent: { name: 'CWE', index: 1 } },
      { id: 'API5:2023', index: 1, toolComponent: { name: 'OWASP API Security Top 10', index: 0 } },
    ]);
    // Each reference points at the taxon it names.
    for (const t of targets) expect(sarif.runs[0].taxonomies[t.toolComponent.index].taxa[t.index].id).toBe(t.id);
    expect(revoked.properties.tags).toEqual(expect.arrayContaining(['API2:2023', 'API5:2023', 'CWE-287', 'external/cwe/cwe-287']));
    expect(revoked.properties['security-severity']).toBe('8.0');
    expect(ruleNamed('http/orders.other-owner').properties.tags).toEqual(expect.arrayContaining(['CWE-1333', 'external/cwe/cwe-1333']));
    expect(ruleNamed('http/plain')).not.toHaveProperty('relationships');
  });

  it('give each result the taxa of its own check', () => {
    const results = sarif.runs[0].results;
    const taxaOf = (id: string) => results.find((r: { properties: { checkId: string } }) => r.properties.checkId === id).taxa;
    expect(taxaOf('admin-keys.revoked').map((t: { id: string }) => t.id)).toEqual(['API5:2023', '287']);
    expect(taxaOf('plain')).toBeUndefined();
  });

  it('leave taxonomies out of a run saved before checks were filed, still valid', () => {
    const old = JSON.parse(renderSarif(base));
    expect(old.runs[0]).not.toHaveProperty('taxonomies');
    expect(old.runs[0].tool.driver).not.toHaveProperty('supportedTaxonomies');
    expect(sarifSchema()(old)).toBe(true);
  });
});

describe('SARIF locations and fingerprints', () => {
  it('locate a scenario inside the project relative to it, escaped as a URI; one outside by its file: URI', async () => {
    const { artifactLocation } = await import('../../src/report/sarif/artifact-location.js');
    expect(artifactLocation('scenarios/my keys.yaml', '/repo')).toEqual({ uri: 'scenarios/my%20keys.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/repo/scenarios/a.yaml', '/repo')).toEqual({ uri: 'scenarios/a.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/elsewhere/a.yaml', '/repo')).toEqual({ uri: 'file:///elsewhere/a.yaml' });
  });

  it('name the target: the same finding on another target, or another base path, is another fingerprint', async () => {
    const { findingFingerprint } = await import('../../src/report/sarif/finding-fingerprint.js');
    const check = { id: 'keys.matrix.revoked' };
    const on = (target: string) => findingFingerprint(target, 'api-key/revoked', check);
    expect(on('https://API.example.com:443/v1/')).toBe(on('https://api.example.com/v1'));
    expect(on('https://api.example.com/v1')).not.toBe(on('https://staging.example.com/v1'));
    expect(on('https://api.example.com/v1')).not.toBe(on('https://api.example.com/v2'));
    // Credentials in the URL are no part of which API it is.
    expect(on('https://user:pass@api.example.com/v1')).toBe(on('https://api.example.com/v1'));
  });
});

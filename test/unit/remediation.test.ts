import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { remediationOf } from '../../src/checks/remediation/index.js';
import { KIND_REMEDIATIONS } from '../../src/checks/remediation/table.js';
import { KIND_FILINGS } from '../../src/checks/taxonomy/filings.js';
import type { CheckKind } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { REMEDIATION_PLACES } from '../../src/results/model.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runCheck } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck } from '../../src/scenario/types.js';

const kindNames = CHECK_KINDS.map((k) => k.kind);

/** Every case a kind can report, as its scenario schema names them (`cases:`, `probes:`, `severities:`). */
function schemaCases(kind: CheckKind): string[] {
  const p = kind.properties as Record<string, { items?: { enum?: string[] }; properties?: Record<string, unknown> }>;
  return [...new Set([...(p.cases?.items?.enum ?? []), ...(p.probes?.items?.enum ?? []), ...Object.keys(p.severities?.properties ?? {})])];
}

describe('the remediation of every kind and case', () => {
  it('has an entry for every kind, and none for a kind that does not exist', () => {
    expect(Object.keys(KIND_REMEDIATIONS).sort()).toEqual([...kindNames].sort());
  });

  it.each(kindNames)('%s: every case it can report, and every case it is filed by, has a remediation of its own', (name) => {
    const cases = new Set([...schemaCases(CHECK_KINDS.find((k) => k.kind === name)!), ...Object.keys(KIND_FILINGS[name]!.cases ?? {})]);
    const own = KIND_REMEDIATIONS[name]!.cases ?? {};
    expect([...cases].filter((c) => !Object.hasOwn(own, c)), 'cases without a remediation').toEqual([]);
    expect(Object.keys(own).filter((c) => !cases.has(c)), 'remediations of cases that do not exist').toEqual([]);
  });

  it.each(kindNames)('%s: a failed result without a case has one too', (name) => {
    expect(remediationOf(name, undefined)?.summary).toBeTruthy();
  });

  it('says what to change in sentences, and names settings of nginx, Express, Kong or AWS API Gateway only', () => {
    const all = Object.values(KIND_REMEDIATIONS).flatMap((k) => [k.check, ...Object.values(k.cases ?? {})]).filter((r) => r !== undefined);
    for (const remediation of all) {
      expect(remediation.summary).toMatch(/^[A-Z].{20,}\.$/);
      for (const { place, setting } of remediation.settings ?? []) {
        expect(REMEDIATION_PLACES).toContain(place);
        expect(setting.length).toBeGreaterThan(5);
      }
    }
    // The common servers are covered where a setting exists: the usual fixes name them.
    expect(remediationOf('headers', 'no-version-leak')!.settings).toContainEqual({ place: 'nginx', setting: 'server_tokens off;' });
    expect(remediationOf('api-key', 'query')!.settings!.map((s) => s.place)).toEqual(['nginx', 'Express', 'Kong', 'AWS API Gateway']);
  });

  it('finds the case of a result reported once per instance (allowed-origin-2)', () => {
    expect(remediationOf('cors', 'allowed-origin-2')).toBe(KIND_REMEDIATIONS.cors!.cases!['allowed-origin']);
  });
});

describe('the runner', () => {
  const kind = {
    kind: 'api-key',
    description: 'keys',
    properties: {},
    defaultTitle: () => 'keys',
    bounds: () => ({ requests: 0, durationMs: 1000 }),
    run: async () => [
      { idSuffix: 'query', status: 'failed', message: 'a key in the query was served', evidence: {} },
      { idSuffix: 'missing', status: 'passed', message: 'refused', evidence: {} },
    ],
  } as unknown as CheckKind;

  it('attaches the remediation of its kind and case to a failed result only', async () => {
    const profile = profileFromTarget('http://127.0.0.1:9');
    const secrets = new SecretRegistry();
    const loaded = { spec: { id: 'k', kind: 'api-key', severity: 'high' }, source: { file: 'k.yaml', line: 1, col: 1 }, scenarioFile: 'k.yaml' } as LoadedCheck;
    const env = { profile, secrets, http: new HttpClient(profile, { timeoutMs: 500, bodyCapBytes: 1024 }, secrets), signal: new AbortController().signal, timeoutMs: 500, allowLoad: false, onProgress: () => undefined };
    const [query, missing] = await runCheck(kind, loaded, 's', new Map(), env);
    expect(query!.remediation).toEqual(remediationOf('api-key', 'query'));
    expect(missing!.remediation).toBeUndefined();
  });
});

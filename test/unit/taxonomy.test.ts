import { describe, expect, it } from 'vitest';
import { LIFECYCLE_CASES, MATRIX_CASES } from '../../src/checks/api-key/spec.js';
import { CORS_CASES } from '../../src/checks/cors/spec.js';
import { HEADERS_CASES } from '../../src/checks/headers/spec.js';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { INPUT_CASES } from '../../src/checks/input/spec.js';
import { IP_RESTRICTION_CASES } from '../../src/checks/ip-restriction/spec.js';
import { MTLS_CASE_NAMES } from '../../src/checks/mtls/cases.js';
import { TRIED_METHODS } from '../../src/checks/methods/spec.js';
import { BFLA_CASES } from '../../src/checks/bfla/spec.js';
import { BOLA_CASES } from '../../src/checks/bola/spec.js';
import { MASS_ASSIGNMENT_CASES } from '../../src/checks/mass-assignment/spec.js';
import { PROBES } from '../../src/checks/rate-limit/spec.js';
import { SIGNING_CASES } from '../../src/checks/signing/spec.js';
import { CWE_NAMES } from '../../src/checks/taxonomy/cwe.js';
import { KIND_FILINGS } from '../../src/checks/taxonomy/filings.js';
import { taxonomyOf } from '../../src/checks/taxonomy/index.js';
import { OWASP_API_TOP_10, OWASP_IDS } from '../../src/checks/taxonomy/owasp.js';
import { TLS_PROBES } from '../../src/checks/tls/spec.js';
import type { CheckKind } from '../../src/checks/types.js';
import { VERSIONING_CASES } from '../../src/checks/versioning/spec.js';

/** Every case a kind can report, as its scenario schema names them: `cases:`, `probes:` and `severities:`. */
function reportableCases(kind: CheckKind): string[] {
  const p = kind.properties as Record<string, { items?: { enum?: string[] }; properties?: Record<string, unknown> }>;
  const names = [...(p.cases?.items?.enum ?? []), ...(p.probes?.items?.enum ?? []), ...Object.keys(p.severities?.properties ?? {})];
  return [...new Set(names)];
}

/** Where each kind lists its cases in code, to prove the schema-derived lists above miss none. */
const LISTED_CASES: Record<string, readonly string[]> = {
  'api-key': [...MATRIX_CASES, ...LIFECYCLE_CASES],
  mtls: MTLS_CASE_NAMES,
  tls: TLS_PROBES,
  cors: CORS_CASES,
  headers: HEADERS_CASES,
  input: INPUT_CASES,
  versioning: VERSIONING_CASES,
  signing: SIGNING_CASES,
  'ip-restriction': IP_RESTRICTION_CASES,
  'rate-limit': PROBES,
  methods: TRIED_METHODS.map((m) => m.toLowerCase()),
  bola: BOLA_CASES,
  bfla: BFLA_CASES,
  'mass-assignment': MASS_ASSIGNMENT_CASES,
};

const kindNames = CHECK_KINDS.map((k) => k.kind);

describe('the filing of every kind and case (OWASP API Top 10 2023, CWE)', () => {
  it('has an entry for every kind, and none for a kind that does not exist', () => {
    expect(Object.keys(KIND_FILINGS).sort()).toEqual([...kindNames].sort());
  });

  it.each(kindNames)('%s: its schema lists every case its code does', (name) => {
    const kind = CHECK_KINDS.find((k) => k.kind === name)!;
    expect(reportableCases(kind).sort()).toEqual([...(LISTED_CASES[name] ?? [])].sort());
  });

  it.each(kindNames)('%s: every case it can report has its own filing, and no filing names a case it cannot report', (name) => {
    const kind = CHECK_KINDS.find((k) => k.kind === name)!;
    const cases = reportableCases(kind);
    const filed = KIND_FILINGS[name]!.cases ?? {};
    const unfiled = cases.filter((c) => !Object.hasOwn(filed, c));
    expect(unfiled, `add these cases of ${name} to KIND_FILINGS (src/checks/taxonomy/filings.ts)`).toEqual([]);
    expect(Object.keys(filed).filter((c) => !cases.includes(c))).toEqual([]);
  });

  it.each(kindNames.filter((k) => k !== 'http'))('%s: a result without a case (a check skipped whole) is filed too', (name) => {
    expect(KIND_FILINGS[name]!.check, `give ${name} a check-level filing in KIND_FILINGS`).toBeDefined();
  });

  it('files under one of the ten categories and a CWE it can name', () => {
    const filings = Object.values(KIND_FILINGS).flatMap((k) => [k.check, ...Object.values(k.cases ?? {})]).filter((f) => f !== undefined);
    expect(filings.length).toBeGreaterThan(100);
    for (const filing of filings) {
      expect(OWASP_IDS).toContain(filing.owasp);
      expect(CWE_NAMES[filing.cwe], `CWE-${filing.cwe} needs its name in CWE_NAMES`).toBeDefined();
    }
  });

  it('files the examples the issue gives as it says', () => {
    expect(taxonomyOf('api-key', 'revoked')).toMatchObject({ owasp: { id: 'API2:2023' }, cwe: { id: 287 } });
    expect(taxonomyOf('rate-limit', 'discovery')).toMatchObject({ owasp: { id: 'API4:2023' }, cwe: { id: 770 } });
    expect(taxonomyOf('cors', 'wildcard')).toMatchObject({ owasp: { id: 'API8:2023' }, cwe: { id: 942 } });
  });

  it('gives the title and page of the category, and the name and page of the CWE', () => {
    expect(taxonomyOf('api-key', 'under-scoped')).toEqual({
      owasp: { id: 'API5:2023', title: 'Broken Function Level Authorization', url: 'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/' },
      cwe: { id: 285, title: 'Improper Authorization', url: 'https://cwe.mitre.org/data/definitions/285.html' },
    });
    expect(OWASP_API_TOP_10.map((c) => c.id)).toEqual(['API1', 'API2', 'API3', 'API4', 'API5', 'API6', 'API7', 'API8', 'API9', 'API10']);
    expect(taxonomyOf('http', undefined, { owasp: 'API10' })!.owasp).toEqual({
      id: 'API10:2023',
      title: 'Unsafe Consumption of APIs',
      url: 'https://owasp.org/API-Security/editions/2023/en/0xaa-unsafe-consumption-of-apis/',
    });
  });

  it('files a case reported once per instance (allowed-origin-2, url-v1) as its case', () => {
    expect(taxonomyOf('cors', 'allowed-origin-2')).toEqual(taxonomyOf('cors', 'allowed-origin'));
    expect(taxonomyOf('versioning', 'header-2024-01-01')).toEqual(taxonomyOf('versioning', 'header'));
    // A case whose name starts with another's is itself, not the other's instance.
    expect(taxonomyOf('headers', 'hsts-max-age')!.cwe!.id).toBe(319);
    expect(taxonomyOf('headers', 'no-version-leak')!.cwe!.id).toBe(497);
    expect(taxonomyOf('rate-limit', 'guessed-keys')).toMatchObject({ owasp: { id: 'API2:2023' }, cwe: { id: 307 } });
  });

  it('files an http check only when the scenario does, and lets a scenario refile any check', () => {
    expect(taxonomyOf('http', undefined)).toBeUndefined();
    expect(taxonomyOf('http', undefined, { owasp: 'API1', cwe: 639 })).toMatchObject({
      owasp: { id: 'API1:2023', title: 'Broken Object Level Authorization' },
      cwe: { id: 639, title: 'Authorization Bypass Through User-Controlled Key' },
    });
    expect(taxonomyOf('http', undefined, { owasp: 'API3:2023' })).toEqual({ owasp: expect.objectContaining({ id: 'API3:2023' }) });
    // Each field replaces its own: the kind's CWE stays under a new category.
    expect(taxonomyOf('api-key', 'query', { owasp: 'API8' })).toMatchObject({ owasp: { id: 'API8:2023' }, cwe: { id: 598 } });
    // A CWE gauntlet has no name for is still filed, by number and page.
    expect(taxonomyOf('http', undefined, { cwe: 1333 })).toEqual({ cwe: { id: 1333, url: 'https://cwe.mitre.org/data/definitions/1333.html' } });
  });
});

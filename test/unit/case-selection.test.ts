import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { globListOption } from '../../src/commands/parse-options.js';
import { planRun } from '../../src/runner/plan.js';
import { selectChecks, selectedResults } from '../../src/runner/select.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck, LoadedScenario } from '../../src/scenario/types.js';

const profile = profileFromTarget('https://api.example.com');
const context = { timeoutMs: 1000, profile };

const check = (spec: Record<string, unknown>): LoadedCheck => ({
  spec: { severity: 'high', ...spec } as LoadedCheck['spec'],
  source: { file: 'audit.yaml', line: 1, col: 1 },
  scenarioFile: 'audit.yaml',
});
const scenario = (checks: LoadedCheck[], tags: string[] = []): LoadedScenario => ({ file: 'audit.yaml', name: 'audit', tags, vars: {}, checks });

const AUDIT = scenario([
  check({ id: 'cors.policy', kind: 'cors', allowedOrigins: ['https://a.example', 'https://b.example'] }),
  check({ id: 'versions', kind: 'versioning', versions: ['1', '2'], url: '/v{version}/data' }),
  check({ id: 'verbs', kind: 'methods', request: { path: '/data' }, declared: ['GET'], try: ['DELETE', 'TRACE'] }),
  check({ id: 'limits.a', kind: 'rate-limit', request: { path: '/a' }, policy: { limit: 5, window: '1s' }, probes: ['discovery', 'boundary'] }),
  check({ id: 'tls.server', kind: 'tls', probes: ['chain', 'expiry'] }),
  check({ id: 'plain', kind: 'http', request: { path: '/' }, expect: { status: 200 }, tags: ['smoke'] }),
]);

/** What --only selects: each check's id, the cases it kept, and the spec field the kind narrowed. */
function select(...only: string[]) {
  return selectChecks([AUDIT], { only }, context, CHECK_KINDS).flatMap((s) => s.checks);
}

describe('--only selecting cases', () => {
  it('keeps a check whole when its own id matches', () => {
    const [cors] = select('cors.*');
    expect(cors!.cases).toBeUndefined();
    expect(cors!.spec).toBe(AUDIT.checks[0]!.spec);
  });

  it('narrows each kind to the cases that match, through the list its spec runs', () => {
    const byId = new Map(select('cors.policy.allowed-origin-2', 'versions.url-2', 'verbs.trace', '*.boundary', 'tls.server.expiry').map((c) => [c.spec.id, c]));
    expect([...byId.keys()]).toEqual(['cors.policy', 'versions', 'verbs', 'limits.a', 'tls.server']);
    expect(byId.get('cors.policy')).toMatchObject({ cases: ['allowed-origin-2'], spec: { cases: ['allowed-origin'] } });
    expect(byId.get('versions')).toMatchObject({ cases: ['url-2'], spec: { cases: ['url'] } });
    expect(byId.get('verbs')).toMatchObject({ cases: ['trace'], spec: { try: ['TRACE'] } });
    expect(byId.get('limits.a')).toMatchObject({ cases: ['boundary'], spec: { probes: ['boundary'] } });
    expect(byId.get('tls.server')).toMatchObject({ cases: ['expiry'], spec: { probes: ['expiry'] } });
  });

  it('keeps every case of cors running when a case judged over all answers is selected', () => {
    const [cors] = select('cors.policy.wildcard');
    expect(cors!.cases).toEqual(['wildcard']);
    expect(cors!.spec).toBe(AUDIT.checks[0]!.spec);
  });

  it('drops checks whose id and case ids all miss, and --tag still selects whole checks', () => {
    expect(select('nothing.*')).toEqual([]);
    expect(selectChecks([AUDIT], { tags: ['smoke'] }, context, CHECK_KINDS).flatMap((s) => s.checks.map((c) => c.spec.id))).toEqual(['plain']);
    expect(selectChecks([AUDIT], { tags: ['smoke'], only: ['*.boundary'] }, context, CHECK_KINDS)).toEqual([]);
  });

  it('reports only the selected cases, and a check-level result always', () => {
    const [limits] = select('limits.a.boundary');
    const results = [{ case: 'discovery' }, { case: 'boundary' }, { case: undefined }];
    expect(selectedResults(limits!, results)).toEqual([{ case: 'boundary' }, { case: undefined }]);
    expect(selectedResults(AUDIT.checks[3]!, results)).toEqual(results);
  });

  it('plans only the selected cases, with the bounds of the narrowed spec', () => {
    const selected = selectChecks([AUDIT], { only: ['verbs.trace', 'versions.url-2'] }, context, CHECK_KINDS);
    const plan = planRun(selected, { profile: { ...profile, mutations: 'allowed' }, timeoutMs: 1000, vars: {}, allowLoad: false, kinds: CHECK_KINDS });
    expect(plan.checks.map((c) => [c.id, c.cases.map((k) => k.id), c.bounds?.requests])).toEqual([
      // The url case runs over both versions; only url-2 is reported.
      ['versions', ['versions.url-2'], 2],
      ['verbs', ['verbs.trace'], 1],
    ]);
  });

  it('splits --only on commas, except inside braces', () => {
    expect(globListOption(['a.*,b.{c,d}', ' e '])).toEqual(['a.*', 'b.{c,d}', 'e']);
  });
});

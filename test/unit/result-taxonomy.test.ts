import { describe, expect, it } from 'vitest';
import type { CheckKind, CheckOutcome } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { notRunResult, runCheck, type CheckRunEnv } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck } from '../../src/scenario/types.js';

function env(): CheckRunEnv {
  const profile = profileFromTarget('http://127.0.0.1:9');
  const secrets = new SecretRegistry();
  return {
    profile,
    secrets,
    http: new HttpClient(profile, { timeoutMs: 1000, bodyCapBytes: 1024 }, secrets),
    signal: new AbortController().signal,
    timeoutMs: 1000,
    allowLoad: false,
    onProgress: () => undefined,
  };
}

/** A stand-in for a kind: reports the given outcomes, sends nothing. */
function kindReporting(name: string, outcomes: CheckOutcome[], planned?: string[]): CheckKind {
  return {
    kind: name,
    description: name,
    properties: {},
    defaultTitle: () => name,
    bounds: () => ({ requests: 1, durationMs: 1000 }),
    plannedCases: planned ? () => planned.map((suffix) => ({ suffix, title: suffix })) : undefined,
    run: async () => outcomes,
  } as unknown as CheckKind;
}

function loaded(spec: Record<string, unknown>): LoadedCheck {
  return { spec: { severity: 'high', ...spec }, source: { file: 's.yaml', line: 1, col: 1 }, scenarioFile: 's.yaml' } as LoadedCheck;
}

const failed = (idSuffix?: string): CheckOutcome => ({ idSuffix, status: 'failed', message: 'accepted', evidence: {} });

describe('the runner files each result', () => {
  it('by its kind and case', async () => {
    const kind = kindReporting('api-key', [failed('revoked'), failed('under-scoped')]);
    const results = await runCheck(kind, loaded({ id: 'keys', kind: 'api-key' }), 's', new Map(), env());
    expect(results.map((r) => [r.id, r.taxonomy?.owasp?.id, r.taxonomy?.cwe?.id])).toEqual([
      ['keys.revoked', 'API2:2023', 287],
      ['keys.under-scoped', 'API5:2023', 285],
    ]);
  });

  it("by the scenario's owasp: and cwe: first, for every case", async () => {
    const kind = kindReporting('api-key', [failed('revoked'), failed('query')]);
    const results = await runCheck(kind, loaded({ id: 'keys', kind: 'api-key', owasp: 'API1', cwe: 639 }), 's', new Map(), env());
    for (const result of results) expect(result.taxonomy).toMatchObject({ owasp: { id: 'API1:2023' }, cwe: { id: 639 } });
  });

  it('not at all for an http check the scenario does not file, and as the scenario says for one it does', async () => {
    const [plain] = await runCheck(kindReporting('http', [failed()]), loaded({ id: 'h', kind: 'http' }), 's', new Map(), env());
    expect(plain).not.toHaveProperty('taxonomy');
    const [filed] = await runCheck(kindReporting('http', [failed()]), loaded({ id: 'h', kind: 'http', owasp: 'API1', cwe: 639 }), 's', new Map(), env());
    expect(filed!.taxonomy).toMatchObject({ owasp: { id: 'API1:2023' }, cwe: { id: 639, title: 'Authorization Bypass Through User-Controlled Key' } });
  });

  it('when skipped, not run, or waiting for a capture, as well as when it ran', async () => {
    const kind = kindReporting('cors', [], ['wildcard']);
    const [skipped] = await runCheck(kind, loaded({ id: 'c', kind: 'cors', skip: true }), 's', new Map(), env());
    expect(skipped!.taxonomy?.cwe?.id).toBe(942);
    const [waiting] = await runCheck(kind, loaded({ id: 'c', kind: 'cors', title: '{{origin}}' }), 's', new Map(), env());
    expect(waiting).toMatchObject({ status: 'skipped', taxonomy: { owasp: { id: 'API8:2023' } } });
    const [notRun] = notRunResult(kind, loaded({ id: 'c', kind: 'cors' }), 's', { timeoutMs: 1000, profile: env().profile });
    expect(notRun).toMatchObject({ id: 'c.wildcard', taxonomy: { cwe: { id: 942 } } });
  });

  it('and secrets redaction keeps the filing', async () => {
    const [result] = await runCheck(kindReporting('rate-limit', [failed('forwarded-for')]), loaded({ id: 'r', kind: 'rate-limit' }), 's', new Map(), env());
    expect(result!.taxonomy).toMatchObject({ owasp: { id: 'API4:2023' }, cwe: { id: 348, title: 'Use of Less Trusted Source' } });
    expect(new SecretRegistry().redact(result!).taxonomy).toEqual(result!.taxonomy);
  });
});

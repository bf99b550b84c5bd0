import { describe, expect, it } from 'vitest';
import { kindByName } from '../../src/checks/index.js';
import type { CheckKind } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { MUTATIONS_FORBIDDEN_REASON, runCheck, type CheckRunEnv } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck, TargetProfile } from '../../src/scenario/types.js';

/** Port 9 (discard) on loopback: nothing answers, so a check that ran would error, and one that was gated is skipped. */
function env(mutations: TargetProfile['mutations']): CheckRunEnv {
  const profile = { ...profileFromTarget('http://127.0.0.1:9'), mutations };
  const secrets = new SecretRegistry();
  return {
    profile,
    secrets,
    http: new HttpClient(profile, { timeoutMs: 500, bodyCapBytes: 1024 }, secrets),
    signal: new AbortController().signal,
    timeoutMs: 500,
    allowLoad: false,
    onProgress: () => undefined,
  };
}

const loaded = (spec: Record<string, unknown>) => ({ spec: { severity: 'high', ...spec }, source: { file: 'm.yaml', line: 1, col: 1 }, scenarioFile: 'm.yaml' }) as LoadedCheck;

describe('the mutation gate', () => {
  const post = loaded({ id: 'm.post', kind: 'http', mutates: true, request: { method: 'POST', path: '/api/notes' }, expect: { status: 201 } });

  it('skips a check marked mutates: true unless the profile says mutations: allowed, sending nothing', async () => {
    const [result] = await runCheck(kindByName('http')!, post, 'm', new Map(), env('forbidden'));
    expect(result).toMatchObject({ id: 'm.post', status: 'skipped', message: MUTATIONS_FORBIDDEN_REASON, durationMs: 0 });
    expect(MUTATIONS_FORBIDDEN_REASON).toBe('changes data on the target: set mutations: allowed in the profile to run it');
  });

  it('runs it when the profile allows mutations', async () => {
    const [result] = await runCheck(kindByName('http')!, post, 'm', new Map(), env('allowed'));
    expect(result!.status).toBe('errored');
    expect(result!.message).toMatch(/refused|ECONNREFUSED/);
  });

  it("asks the kind, and lists every case the kind plans as skipped", async () => {
    const kind = {
      kind: 'writer',
      description: 'writer',
      properties: {},
      mutates: (spec: { writes?: boolean }) => spec.writes === true,
      plannedCases: () => [{ suffix: 'one', title: 'first' }, { suffix: 'two', title: 'second', severity: 'low' }],
      defaultTitle: () => 'writer',
      bounds: () => ({ requests: 1, durationMs: 1000 }),
      run: async () => [{ status: 'passed', message: 'ran', evidence: {} }],
    } as unknown as CheckKind;
    const writes = await runCheck(kind, loaded({ id: 'w', kind: 'writer', writes: true }), 'm', new Map(), env('forbidden'));
    expect(writes.map((r) => `${r.id} ${r.severity} ${r.status}: ${r.message}`)).toEqual([
      `w.one high skipped: ${MUTATIONS_FORBIDDEN_REASON}`,
      `w.two low skipped: ${MUTATIONS_FORBIDDEN_REASON}`,
    ]);
    const reads = await runCheck(kind, loaded({ id: 'r', kind: 'writer', writes: false }), 'm', new Map(), env('forbidden'));
    expect(reads.map((r) => r.status)).toEqual(['passed']);
  });
});

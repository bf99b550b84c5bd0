import { describe, expect, it } from 'vitest';
import type { CheckKind } from '../../src/checks/types.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runCheck, type CheckRunEnv } from '../../src/runner/run-check.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import type { LoadedCheck } from '../../src/scenario/types.js';

function env(): CheckRunEnv {
  const profile = profileFromTarget('http://127.0.0.1:9');
  const secrets = new SecretRegistry();
  return { profile, secrets, http: new HttpClient(profile, { timeoutMs: 500, bodyCapBytes: 1024 }, secrets), signal: new AbortController().signal, timeoutMs: 500, allowLoad: false, onProgress: () => undefined };
}

/** A kind that titles its check and its cases from the spec it is given, as the built-in kinds do. */
const echoKind = {
  kind: 'echo',
  description: 'echo',
  properties: {},
  defaultTitle: (spec: { path: string }) => `GET ${spec.path} holds`,
  plannedCases: (spec: { path: string }) => [{ suffix: 'read', title: `GET ${spec.path} is read` }],
  bounds: () => ({ requests: 0, durationMs: 1000 }),
  run: async (_ctx: unknown, spec: { path: string }) => [{ idSuffix: 'read', title: `GET ${spec.path} is read`, status: 'failed', message: `read ${spec.path}`, evidence: {} }],
} as unknown as CheckKind;

const loaded = (spec: Record<string, unknown>) => ({ spec: { id: 'u', kind: 'echo', severity: 'high', ...spec }, source: { file: 'u.yaml', line: 1, col: 1 }, scenarioFile: 'u.yaml' }) as LoadedCheck;

describe('titles of checks that use captured values', () => {
  it('keep {{userId}} as written in the check and case titles; the message says what was sent', async () => {
    const [result] = await runCheck(echoKind, loaded({ path: '/users/{{userId}}' }), 's', new Map([['userId', 31]]), env());
    expect(result).toMatchObject({ id: 'u.read', title: 'GET /users/{{userId}} is read', message: 'read /users/31' });
  });

  it('keep a title the scenario wrote, placeholders and all', async () => {
    const [result] = await runCheck({ ...echoKind, plannedCases: undefined, run: async () => [{ status: 'failed', message: 'x', evidence: {} }] } as CheckKind, loaded({ path: '/users/{{userId}}', title: 'user {{userId}} is gone' }), 's', new Map([['userId', 32]]), env());
    expect(result!.title).toBe('user {{userId}} is gone');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { OBJECT_KEYS, OBJECTS_ENV, objectsProfile, startObjectsApi, type ObjectsFlaw } from '../helpers/objects-api.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Only the admin may delete a user; the default key (owner) is the ordinary caller. */
const USERS = `name: users
checks:
  - id: users.bfla
    kind: bfla
    create: { method: POST, path: /api/users, body: { json: { name: Ada } } }
    request: { method: DELETE, path: "/api/users/{id}" }
    read: { path: "/api/users/{id}" }
    scopes: [users:delete]
`;

const GATE = 'changes data on the target: set mutations: allowed in the profile to run it';

describe('bfla kind', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  let runs = 0;
  async function run(flaws: ObjectsFlaw[], profileExtra = 'mutations: allowed\n', scenario = USERS) {
    const api = await startObjectsApi(flaws);
    try {
      const out = join(dir.path, `out-${++runs}`);
      const profile = dir.file(`profile-${runs}.yaml`, objectsProfile(api.url, profileExtra));
      const cli = await runCli(['run', dir.file(`users-${runs}.yaml`, scenario), '-p', profile, '-r', 'json', '-o', out], { env: OBJECTS_ENV });
      const report = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
      const run: RunResult = JSON.parse(report);
      const checks = new Map<string, CheckResult>(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
      return { cli, checks, report, users: api.stored('users'), log: api.log };
    } finally {
      await api.close();
    }
  }
  const verdicts = (checks: Map<string, CheckResult>) => [...checks.values()].map((c) => `${c.id} ${c.status}: ${c.message}`);

  it('passes an API that refuses an admin-only DELETE to an ordinary key, sent as is or tunnelled, and cleans up', async () => {
    const { cli, checks, users, log, report } = await run([]);
    expect(verdicts(checks)).toEqual([
      "users.bfla.direct passed: the caller's DELETE /api/users/1 was answered 403: refused, and the admin's next read still finds the object",
      "users.bfla.method-override passed: the caller's POST /api/users/2 with X-HTTP-Method-Override: DELETE was answered 405, not 2xx: the override was not honoured, and the admin's next read still finds the object",
    ]);
    expect(cli.code).toBe(0);
    expect(users).toEqual([]);
    expect(log).toEqual([
      'admin POST /api/users',
      'admin GET /api/users/1',
      'owner DELETE /api/users/1',
      'admin GET /api/users/1',
      'admin POST /api/users',
      'admin GET /api/users/2',
      'owner POST /api/users/2 (override DELETE)',
      'admin GET /api/users/2',
      'admin DELETE /api/users/2',
      'admin DELETE /api/users/1',
    ]);
    const override = checks.get('users.bfla.method-override')!;
    expect(override.title).toBe('POST with X-HTTP-Method-Override: DELETE does not perform DELETE /api/users/{id} for that caller');
    const tunnelled = override.evidence.exchanges![2]!;
    expect(tunnelled.label).toBe('caller (owner) sends POST with X-HTTP-Method-Override: DELETE');
    expect(tunnelled.request.headers).toMatchObject({ 'X-HTTP-Method-Override': 'DELETE', 'X-HTTP-Method': 'DELETE', 'X-Method-Override': 'DELETE' });
    expect(override.evidence.notes).toEqual([
      'cleanup: the admin deleted the object the check created (DELETE /api/users/2 was answered 204)',
      'cleanup: the admin deleted the object the check created (DELETE /api/users/1 was answered 204)',
    ]);
    for (const key of Object.values(OBJECT_KEYS)) expect(report).not.toContain(key);
  });

  it('fails the direct case when a non-admin key can delete, naming the admin’s read that no longer finds it', async () => {
    const { cli, checks, users } = await run(['bfla']);
    expect(checks.get('users.bfla.direct')).toMatchObject({
      status: 'failed',
      message:
        "the caller's DELETE /api/users/1 was answered 204 (expected 401 or 403 or 404 or 405): a caller without the scope performed an admin-only operation and the admin's next read was 404: the object was deleted",
    });
    expect(checks.get('users.bfla.direct')!.evidence.notes).toContain('cleanup: DELETE /api/users/1 was answered 404: the object the check created was already gone');
    expect(checks.get('users.bfla.method-override')!.status).toBe('passed');
    expect(cli.code).toBe(1);
    expect(users).toEqual([]);
  });

  it('fails the method-override case when a tunnelled DELETE is authorised as a POST', async () => {
    const { checks, users } = await run(['method-override']);
    expect(checks.get('users.bfla.direct')!.status).toBe('passed');
    expect(checks.get('users.bfla.method-override')).toMatchObject({
      status: 'failed',
      message: "the caller's POST /api/users/2 with X-HTTP-Method-Override: DELETE was answered 204 and the admin's next read was 404: the override performed the admin-only DELETE",
    });
    expect(users).toEqual([]);
  });

  it('skips the check when the profile says the caller holds every scope the operation needs', async () => {
    const { checks, log } = await run([], 'mutations: allowed\nkeyScopes: { owner: [users:read, users:delete], admin: [users:delete] }\n');
    expect(verdicts(checks)).toEqual([
      'users.bfla.direct skipped: not run: the caller holds every scope this operation needs (users:delete)',
      'users.bfla.method-override skipped: not run: the caller holds every scope this operation needs (users:delete)',
    ]);
    expect(log).toEqual([]);
    const lacking = await run([], 'mutations: allowed\nkeyScopes: { owner: [users:read] }\n');
    expect([...lacking.checks.values()].map((c) => c.status)).toEqual(['passed', 'passed']);
  });

  it('sends nothing unless the profile says mutations: allowed', async () => {
    const { checks, log } = await run([], '');
    expect(verdicts(checks)).toEqual([`users.bfla.direct skipped: ${GATE}`, `users.bfla.method-override skipped: ${GATE}`]);
    expect(log).toEqual([]);
  });

  it('runs a read-only operation on a given object without mutations, and never tunnels a POST to it', async () => {
    const given = `name: given
checks:
  - { id: given.bfla, kind: bfla, caller: other-owner, objectId: 1, request: { path: "/api/users/{id}" }, cases: [direct] }
  - { id: tunnel.bfla, kind: bfla, caller: other-owner, objectId: 1, request: { path: "/api/users/{id}" } }
`;
    const readOnly = await run([], '', given);
    expect(verdicts(readOnly.checks)).toEqual([
      "given.bfla.direct passed: the caller's GET /api/users/1 was answered 404: refused",
      `tunnel.bfla.direct skipped: ${GATE}`,
      `tunnel.bfla.method-override skipped: ${GATE}`,
    ]);
    const { checks, log } = await run([], 'mutations: allowed\n', given);
    expect(verdicts(checks).slice(1)).toEqual([
      "tunnel.bfla.direct passed: the caller's GET /api/users/1 was answered 404: refused",
      'tunnel.bfla.method-override skipped: not run: the check changes only objects it created, and this one was given (objectId:), not created (create:)',
    ]);
    expect(log).toEqual(['other-owner GET /api/users/1', 'other-owner GET /api/users/1']);
  });

  it('refuses at load time a created object nothing deletes, and an object with no admin to make it', async () => {
    const file = dir.file(
      'invalid.yaml',
      `name: invalid
checks:
  - id: a.bfla
    kind: bfla
    create: { method: POST, path: /api/users }
    request: { method: PUT, path: "/api/users/{id}/role", body: { json: { role: admin } } }
  - id: b.bfla
    kind: bfla
    request: { method: DELETE, path: "/api/users/{id}" }
`,
    );
    const noAdmin = objectsProfile('http://127.0.0.1:9').replace(/^ {2}admin: .*\n/m, '');
    const cli = await runCli(['validate', file, '-p', dir.file('no-admin.yaml', noAdmin)], { env: OBJECTS_ENV });
    expect(cli.code).toBe(2);
    const out = cli.stdout + cli.stderr;
    expect(out).toContain('invalid.yaml:5:');
    expect(out).toContain('error[E_NO_CLEANUP]: the check must delete the object it creates: give cleanup:, e.g. { method: DELETE, path: /api/users/{id} }');
    expect(out).toContain('invalid.yaml:9:');
    expect(out).toContain('error[E_NO_OBJECT]: the requests name an object with {id}, but the check has neither create: (to make one) nor objectId: (an existing one)');
    const needsAdmin = dir.file('admin.yaml', 'name: admin\nchecks:\n  - { id: c.bfla, kind: bfla, create: { method: POST, path: /api/users }, request: { method: DELETE, path: "/api/users/{id}" } }\n');
    const second = await runCli(['validate', needsAdmin, '-p', dir.file('no-admin.yaml', noAdmin)], { env: OBJECTS_ENV });
    expect(second.stdout + second.stderr).toContain('error[E_NO_ADMIN]: bfla needs an admin to create and read the object: name one with admin:, or define a profile key named admin');
  });
});

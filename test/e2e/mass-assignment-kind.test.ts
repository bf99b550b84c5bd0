import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { OBJECT_KEYS, OBJECTS_ENV, objectsProfile, startObjectsApi, type ObjectsFlaw } from '../helpers/objects-api.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const ACCOUNTS = `name: accounts
checks:
  - id: acc.mass
    kind: mass-assignment
    create: { method: POST, path: /api/accounts, body: { json: { name: Ada, email: ada@example.com } } }
    update: { method: PATCH, path: "/api/accounts/{id}", body: { json: { name: Grace } } }
    read: { path: "/api/accounts/{id}" }
    inject: { role: admin, verified: true }
    declared: [id, name, email, role, verified]
`;

const GATE = 'changes data on the target: set mutations: allowed in the profile to run it';

describe('mass-assignment kind', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  let runs = 0;
  async function run(flaws: ObjectsFlaw[], scenario = ACCOUNTS, profileExtra = 'mutations: allowed\n') {
    const api = await startObjectsApi(flaws);
    try {
      const out = join(dir.path, `out-${++runs}`);
      const profile = dir.file(`profile-${runs}.yaml`, objectsProfile(api.url, profileExtra));
      const cli = await runCli(['run', dir.file(`accounts-${runs}.yaml`, scenario), '-p', profile, '-r', 'json', '-o', out], { env: OBJECTS_ENV });
      const report = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
      const run: RunResult = JSON.parse(report);
      const checks = new Map<string, CheckResult>(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
      return { cli, checks, report, accounts: api.stored('accounts'), log: api.log };
    } finally {
      await api.close();
    }
  }
  const verdicts = (checks: Map<string, CheckResult>) => [...checks.values()].map((c) => `${c.id} ${c.severity} ${c.status}: ${c.message}`);

  it('passes an API that keeps role and verified to itself and returns only declared properties, and deletes both accounts', async () => {
    const { cli, checks, accounts, log, report } = await run([]);
    // Each property is tried on its own, so one the API refuses cannot hide another it stores.
    expect(verdicts(checks)).toEqual([
      'acc.mass.create high passed: the create POST /api/accounts with role was answered 201, and the follow-up read shows none of role with the injected value; the create POST /api/accounts with verified was answered 201, and the follow-up read shows none of verified with the injected value',
      'acc.mass.update high passed: the update PATCH /api/accounts/1 with role was answered 200, and the follow-up read shows none of role with the injected value; the update PATCH /api/accounts/1 with verified was answered 200, and the follow-up read shows none of verified with the injected value',
      'acc.mass.undeclared-properties low passed: the read GET /api/accounts/1 returns only declared properties',
    ]);
    expect(cli.code).toBe(0);
    expect(accounts).toEqual([]);
    expect(log).toEqual([
      'owner POST /api/accounts',
      'owner GET /api/accounts/1',
      'owner POST /api/accounts',
      'owner GET /api/accounts/2',
      'owner POST /api/accounts',
      'owner GET /api/accounts/3',
      'owner PATCH /api/accounts/1',
      'owner GET /api/accounts/1',
      'owner PATCH /api/accounts/1',
      'owner GET /api/accounts/1',
      'owner DELETE /api/accounts/3',
      'owner DELETE /api/accounts/2',
      'owner DELETE /api/accounts/1',
    ]);
    const create = checks.get('acc.mass.create')!;
    expect(create.title).toBe('POST /api/accounts does not store properties the client must not set (role, verified)');
    expect(create.evidence.exchanges!.filter((e) => e.request.method === 'POST').map((e) => JSON.parse(e.request.body!))).toEqual([
      { name: 'Ada', email: 'ada@example.com', role: 'admin' },
      { name: 'Ada', email: 'ada@example.com', verified: true },
    ]);
    expect(create.evidence.notes).toEqual([
      'cleanup: the caller deleted the object the check created (DELETE /api/accounts/3 was answered 204)',
      'cleanup: the caller deleted the object the check created (DELETE /api/accounts/2 was answered 204)',
      'cleanup: the caller deleted the object the check created (DELETE /api/accounts/1 was answered 204)',
    ]);
    expect(checks.get('acc.mass.update')!.evidence.exchanges!.filter((e) => e.request.method === 'PATCH').map((e) => JSON.parse(e.request.body!))).toEqual([
      { name: 'Grace', role: 'admin' },
      { name: 'Grace', verified: true },
    ]);
    for (const key of Object.values(OBJECT_KEYS)) expect(report).not.toContain(key);
  });

  it('fails create and update when the API stores a role from the client, naming the properties', async () => {
    const { cli, checks, accounts } = await run(['mass-assignment']);
    expect(checks.get('acc.mass.create')).toMatchObject({
      status: 'failed',
      message: 'the create POST /api/accounts with role was answered 201, and the follow-up read shows role: "admin": a property the client must not set was stored (and 1 more property like it)',
    });
    expect(checks.get('acc.mass.create')!.assertions!.map((a) => `${a.name}: ${a.passed} ${a.actual}`)).toEqual(['role is not stored: false "admin"', 'verified is not stored: false true']);
    expect(checks.get('acc.mass.update')).toMatchObject({
      status: 'failed',
      message: 'the update PATCH /api/accounts/1 with role was answered 200, and the follow-up read shows role: "admin": a property the client must not set was stored (and 1 more property like it)',
    });
    expect(checks.get('acc.mass.undeclared-properties')!.status).toBe('passed');
    expect(cli.code).toBe(1);
    expect(accounts).toEqual([]);
  });

  it('finds a stored role even where the API refuses a client-sent id: each property is tried on its own', async () => {
    const { checks } = await run(['mass-assignment', 'refuses-id'], ACCOUNTS.replace('inject: { role: admin, verified: true }', 'inject: { id: 999999, role: admin }'));
    const create = checks.get('acc.mass.create')!;
    expect(create.assertions!.map((a) => `${a.name}: ${a.passed} ${a.actual}`)).toEqual(['refused or not stored: true 400', 'role is not stored: false "admin"']);
    expect(create).toMatchObject({ status: 'failed', message: expect.stringContaining('with role was answered 201, and the follow-up read shows role: "admin"') });
  });

  it('fails undeclared-properties at low severity when reads return a property the schema does not declare', async () => {
    const { checks } = await run(['exposure']);
    expect(checks.get('acc.mass.undeclared-properties')).toMatchObject({
      severity: 'low',
      status: 'failed',
      message: 'the read GET /api/accounts/1 returns a property the schema does not declare: passwordHash',
    });
    expect(checks.get('acc.mass.create')!.status).toBe('passed');
  });

  it('counts a 4xx as a refusal, skips undeclared-properties without declared, and errs when nothing could be judged', async () => {
    const scenario = `name: accounts
checks:
  - id: strict.mass
    kind: mass-assignment
    create: { method: POST, path: /api/accounts, body: { json: { name: Ada } } }
    update: { method: PATCH, path: "/api/notes/{id}", body: { json: { title: x } } }
    read: { path: "/api/accounts/{id}" }
    inject: { role: admin }
  - id: blind.mass
    kind: mass-assignment
    create: { method: POST, path: /api/accounts, body: { json: { name: Ada } } }
    read: { path: "/api/accounts/{id}" }
    inject: { role: member }
`;
    const { checks, accounts } = await run([], scenario);
    expect(verdicts(checks)).toEqual([
      'strict.mass.create high passed: the create POST /api/accounts with role was answered 201, and the follow-up read shows none of role with the injected value',
      // There is no note 1: the API answers the PATCH 404, a refusal like any 4xx.
      'strict.mass.update high passed: the update PATCH /api/notes/1 with role was answered 404: refused',
      'strict.mass.undeclared-properties low skipped: not run: give declared: (the properties the schema declares for this answer) to compare the read with',
      'blind.mass.create high errored: a plain create already stores every injected value (role: "member"): inject values that differ [E_PRECONDITION]',
      'blind.mass.undeclared-properties low skipped: not run: give declared: (the properties the schema declares for this answer) to compare the read with',
    ]);
    expect(accounts).toEqual([]);
  });

  it('sends nothing unless the profile says mutations: allowed', async () => {
    const { checks, log } = await run([], ACCOUNTS, '');
    expect(verdicts(checks)).toEqual([
      `acc.mass.create high skipped: ${GATE}`,
      `acc.mass.update high skipped: ${GATE}`,
      `acc.mass.undeclared-properties low skipped: ${GATE}`,
    ]);
    expect(log).toEqual([]);
  });
});

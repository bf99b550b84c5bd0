import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { OBJECT_KEYS, OBJECTS_ENV, objectsProfile, startObjectsApi, type ObjectsFlaw } from '../helpers/objects-api.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const NOTES = `name: notes
checks:
  - id: notes.bola
    kind: bola
    intruder: other-owner
    create: { method: POST, path: /api/notes, body: { json: { title: mine } } }
    read: { path: "/api/notes/{id}" }
    update: { method: PATCH, path: "/api/notes/{id}", body: { json: { title: changed } } }
    delete: { method: DELETE, path: "/api/notes/{id}" }
`;

const GATE = 'changes data on the target: set mutations: allowed in the profile to run it';

describe('bola kind', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  async function run(flaws: ObjectsFlaw[], scenario = NOTES, profileExtra = 'mutations: allowed\n') {
    const api = await startObjectsApi(flaws);
    try {
      const name = flaws.join('-') || 'correct';
      const out = join(dir.path, `out-${name}-${profileExtra.length}`);
      const profile = dir.file(`${name}-profile.yaml`, objectsProfile(api.url, profileExtra));
      const cli = await runCli(['run', dir.file(`${name}.yaml`, scenario), '-p', profile, '-r', 'json', '-o', out], { env: OBJECTS_ENV });
      const report = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
      const run: RunResult = JSON.parse(report);
      const checks = new Map<string, CheckResult>(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
      return { cli, checks, report, notes: api.stored('notes'), log: api.log };
    } finally {
      await api.close();
    }
  }
  const verdicts = (checks: Map<string, CheckResult>) => [...checks.values()].map((c) => `${c.id} ${c.status}: ${c.message}`);

  it('passes an API that keeps each owner to its own notes, and deletes the note it made', async () => {
    const { cli, checks, notes, log, report } = await run([]);
    expect(verdicts(checks)).toEqual([
      "notes.bola.read passed: the intruder's GET /api/notes/1 was answered 404: refused",
      "notes.bola.update passed: the intruder's PATCH /api/notes/1 was answered 404 and the owner's next read shows the object unchanged",
      "notes.bola.delete passed: the intruder's DELETE /api/notes/1 was answered 404 and the owner's next read still finds the object",
    ]);
    expect(cli.code).toBe(0);
    expect(notes).toEqual([]);
    expect(log).toEqual([
      'owner POST /api/notes',
      'owner GET /api/notes/1',
      'other-owner GET /api/notes/1',
      'owner GET /api/notes/1',
      'other-owner PATCH /api/notes/1',
      'owner GET /api/notes/1',
      'owner GET /api/notes/1',
      'other-owner DELETE /api/notes/1',
      'owner GET /api/notes/1',
      'owner DELETE /api/notes/1',
    ]);
    const read = checks.get('notes.bola.read')!;
    expect(read.title).toBe('another owner cannot read the object (GET /api/notes/{id})');
    expect(read.severity).toBe('high');
    expect(read.evidence.exchanges!.map((e) => `${e.label}: ${e.request.method} ${new URL(e.request.url).pathname} ${e.response?.status}`)).toEqual([
      'owner (owner) reads its object first: GET /api/notes/1 200',
      'intruder (other-owner) tries to read it: GET /api/notes/1 404',
    ]);
    expect(read.evidence.notes).toEqual(['cleanup: the owner deleted the object the check created (DELETE /api/notes/1 was answered 204)']);
    for (const key of Object.values(OBJECT_KEYS)) expect(report).not.toContain(key);
  });

  it('fails the read when any key reads any note, naming both callers’ answers', async () => {
    const { cli, checks, notes } = await run(['bola-read']);
    expect(checks.get('notes.bola.read')).toMatchObject({
      status: 'failed',
      message: "the intruder's GET /api/notes/1 was answered 200 (expected 403 or 404): another owner's object was read",
    });
    expect(checks.get('notes.bola.read')!.evidence.exchanges!.map((e) => e.response?.status)).toEqual([200, 200]);
    expect(checks.get('notes.bola.update')!.status).toBe('passed');
    expect(checks.get('notes.bola.delete')!.status).toBe('passed');
    expect(cli.code).toBe(1);
    expect(notes).toEqual([]);
  });

  it('fails the update when any key changes any note, showing the change the owner reads', async () => {
    const { checks } = await run(['bola-update']);
    const update = checks.get('notes.bola.update')!;
    expect(update).toMatchObject({
      status: 'failed',
      message: `the intruder's PATCH /api/notes/1 was answered 200 and the owner's next read shows title: "changed" (was "mine"): another owner's object was changed`,
    });
    expect(update.evidence.exchanges!.map((e) => e.label)).toEqual(['owner (owner) reads its object first', 'intruder (other-owner) tries to change it', 'owner (owner) reads it again']);
    expect(checks.get('notes.bola.read')!.status).toBe('passed');
  });

  it('fails the delete when any key deletes any note, and says cleanup found it gone', async () => {
    const { checks, notes } = await run(['bola-delete']);
    const deleted = checks.get('notes.bola.delete')!;
    expect(deleted).toMatchObject({
      status: 'failed',
      message: "the intruder's DELETE /api/notes/1 was answered 204 and the owner's next read was 404: another owner's object was deleted",
    });
    expect(deleted.evidence.notes).toEqual(['cleanup: DELETE /api/notes/1 was answered 404: the object the check created was already gone']);
    expect(notes).toEqual([]);
  });

  it('says so on every case when its cleanup fails, naming the object left behind', async () => {
    const scenario = `${NOTES}    cleanup: { method: DELETE, path: "/api/users/{id}" }\n`;
    const { checks, notes } = await run([], scenario);
    for (const check of checks.values()) {
      expect(check.status).toBe('passed');
      expect(check.evidence.notes).toEqual(['cleanup failed: DELETE /api/users/1 was answered 403: the object the check created (id "1") may remain on the target']);
    }
    expect(notes).toEqual([{ id: '1', title: 'mine' }]);
  });

  it('sends nothing and skips every case unless the profile says mutations: allowed', async () => {
    const { cli, checks, log } = await run([], NOTES, '');
    expect(verdicts(checks)).toEqual([`notes.bola.read skipped: ${GATE}`, `notes.bola.update skipped: ${GATE}`, `notes.bola.delete skipped: ${GATE}`]);
    expect(log).toEqual([]);
    expect(cli.code, 'a run in which every check was skipped checked nothing: exit 2 without --allow-empty').toBe(2);
    expect(cli.stdout + cli.stderr).toContain('nothing was checked: all 3 selected checks were skipped');
  });

  it('with a given object, only reads it: no mutations needed, and update and delete are not run', async () => {
    const given = NOTES.replace(/ {4}create: .*\n/, '    objectId: 1\n');
    const api = await startObjectsApi(['bola-read']);
    try {
      // The owner's note 1, made before the check; the check must never change it.
      await fetch(`${api.url}/api/notes`, { method: 'POST', headers: { 'x-api-key': OBJECT_KEYS.owner, 'content-type': 'application/json' }, body: '{"title":"kept"}' });
      const out = join(dir.path, 'out-given');
      await runCli(['run', dir.file('given.yaml', given), '-p', dir.file('given-profile.yaml', objectsProfile(api.url)), '-r', 'json', '-o', out], { env: OBJECTS_ENV });
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      expect(run.scenarios[0]!.checks.map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([
        "notes.bola.read failed: the intruder's GET /api/notes/1 was answered 200 (expected 403 or 404): another owner's object was read",
        'notes.bola.update skipped: not run: the check changes only objects it created, and this one was given (objectId:), not created (create:)',
        'notes.bola.delete skipped: not run: the check changes only objects it created, and this one was given (objectId:), not created (create:)',
      ]);
      expect(api.stored('notes')).toEqual([{ id: '1', title: 'kept' }]);
      expect(api.log.filter((l) => !l.startsWith('owner POST'))).toEqual(['owner GET /api/notes/1', 'other-owner GET /api/notes/1']);
    } finally {
      await api.close();
    }
  });

  it('errors, naming what happened, when the owner cannot create or read its own object', async () => {
    const broken = NOTES.replace('path: /api/notes,', 'path: /api/nowhere,');
    const { checks } = await run([], broken);
    for (const id of ['notes.bola.read', 'notes.bola.update', 'notes.bola.delete']) {
      expect(checks.get(id)).toMatchObject({ status: 'errored', message: "the owner's create POST /api/nowhere was answered 404, not 2xx: there is no object to test with [E_PRECONDITION]" });
    }
    const unreadable = NOTES.replace('read: { path: "/api/notes/{id}" }', 'read: { path: "/api/users/{id}" }');
    const second = await run([], unreadable);
    expect(second.checks.get('notes.bola.read')).toMatchObject({
      status: 'errored',
      message: "the owner's own GET /api/users/1 was answered 404, not 2xx: without the owner reaching its object, a refusal of the intruder proves nothing [E_PRECONDITION]",
    });
    expect(second.notes).toEqual([]);
  });

  it('refuses at load time a spec whose requests name an object the check neither makes nor is given, or one caller twice', async () => {
    const file = dir.file(
      'invalid.yaml',
      `name: invalid
checks:
  - id: a.bola
    kind: bola
    intruder: other-owner
    read: { path: "/api/notes/{id}" }
  - id: b.bola
    kind: bola
    intruder: owner
    objectId: 7
    read: { path: /api/notes }
  - id: c.bola
    kind: bola
    intruder: other-owner
    create: { method: POST, path: /api/notes }
    read: { path: "/api/notes/{id}" }
`,
    );
    const cli = await runCli(['validate', file, '-p', dir.file('invalid-profile.yaml', objectsProfile('http://127.0.0.1:9'))], { env: OBJECTS_ENV });
    expect(cli.code).toBe(2);
    const out = cli.stdout + cli.stderr;
    expect(out).toContain('invalid.yaml:6:');
    expect(out).toContain('error[E_NO_OBJECT]: the requests name an object with {id}, but the check has neither create: (to make one) nor objectId: (an existing one)');
    expect(out).toContain('invalid.yaml:11:');
    expect(out).toContain('error[E_NO_OBJECT_ID]: read does not name the object: put {id} where its id goes (e.g. /api/notes/{id})');
    expect(out).toContain('invalid.yaml:15:');
    expect(out).toContain('error[E_NO_CLEANUP]: the check must delete the object it creates');
    const same = dir.file('same.yaml', 'name: same\nchecks:\n  - { id: s.bola, kind: bola, intruder: owner, objectId: 7, read: { path: "/api/notes/{id}" } }\n');
    const sameCli = await runCli(['validate', same, '-p', dir.file('invalid-profile.yaml', objectsProfile('http://127.0.0.1:9'))], { env: OBJECTS_ENV });
    expect(sameCli.stdout + sameCli.stderr).toContain('error[E_SAME_CALLER]: the intruder sends the same credentials as the owner');
  });
});

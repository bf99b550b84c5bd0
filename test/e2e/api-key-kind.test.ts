import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const ADMIN = 'fk_admin_7Qw3Er9Ty2Ui8Op4As6Df1Gh5Jk';
const VALID = 'fk_live_Zx8Cv3Bn7Mq2Wl9Ek4Rj6Th1Yu5Io0';

/**
 * A hand-made target that gets keys wrong in several ways at once: a bare 401 without a challenge for a
 * missing key, stack traces in its refusals, a 500 on SQL meta-characters, a dropped connection on a NoSQL
 * operator, plaintext keys in its listing, a
 * rotation that never ends the old key and a revocation that does nothing. It also records every key it
 * issues, so the test can prove none of them reaches any output.
 */
function brokenKeyServer() {
  const active = new Map<string, string>([[VALID, 'key-0']]);
  const issued: string[] = [];
  let next = 1;
  const issue = () => {
    const id = `key-${next}`;
    const key = `fk_live_${'Q'.repeat(8)}${next}n${Math.random().toString(36).slice(2, 14)}Secret${next++}`;
    active.set(key, id);
    issued.push(key);
    return { id, key };
  };
  const stack = 'Error: unauthorized\n    at authenticate (/srv/app/src/auth.js:42:11)\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)';
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  return {
    issued,
    handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const key = req.headers['x-api-key'] as string | undefined;
      if (url.pathname.startsWith('/admin/')) {
        if (key !== ADMIN) return json(res, 401, { error: 'admin only' }, { 'www-authenticate': 'ApiKey' });
        if (req.method === 'POST' && url.pathname === '/admin/keys') return json(res, 201, { data: issue() });
        if (req.method === 'GET' && url.pathname === '/admin/keys') return json(res, 200, [...active].map(([k, id]) => ({ id, key: k })));
        if (url.pathname.endsWith('/rotate')) return json(res, 201, { data: issue() });
        if (url.pathname.endsWith('/revoke')) return json(res, 200, { revoked: true });
        return json(res, 404, { error: 'no' });
      }
      if (key === undefined || url.searchParams.has('api_key')) return json(res, 401, { error: 'no key' });
      if (key.includes('DROP')) return json(res, 500, { error: 'SQLITE_ERROR: near "DROP": syntax error' });
      if (key.includes('$ne')) return void req.socket.destroy(); // the worker dies on a NoSQL operator
      if (active.has(key)) return json(res, 200, { ok: true });
      json(res, 401, { error: 'unauthorized', stack }, { 'www-authenticate': 'ApiKey realm="x"' });
    },
  };
}

function byId(run: RunResult): Map<string, CheckResult> {
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
}

describe('api-key kind against a broken target', () => {
  let dir: TempDir;
  let server: TestServer;
  let broken: ReturnType<typeof brokenKeyServer>;
  let run: RunResult;
  let outputs: string[];

  beforeAll(async () => {
    dir = tempDir();
    broken = brokenKeyServer();
    server = await startTestServer(broken.handler);
    const profile = dir.file(
      'profile.yaml',
      `target: ${server.url}
keys:
  valid: \${env:BROKEN_VALID}
  admin: \${env:BROKEN_ADMIN}
keyManagement:
  create: { path: /admin/keys, body: { name: probe }, key: $.data.key, id: $.data.id }
  rotate: { path: "/admin/keys/{id}/rotate", key: /data/key, id: /data/id, grace: 200ms }
  revoke: { path: "/admin/keys/{id}/revoke" }
  list: { path: /admin/keys }
`,
    );
    const scenario = dir.file(
      'keys.yaml',
      `name: broken keys
checks:
  - id: k.matrix
    kind: api-key
    severity: high
    request: { path: /api/thing }
    lifecycle: { graceTolerance: 300ms, revocationWithin: 300ms, pollInterval: 50ms }
`,
    );
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'console,json,junit,html', '-o', out, '--verbose'], {
      env: { BROKEN_VALID: VALID, BROKEN_ADMIN: ADMIN },
    });
    expect(cli.code, cli.stderr).toBe(1);
    run = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    outputs = [cli.stdout, cli.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('fails each wrong behaviour with a message that says what is wrong', () => {
    const checks = byId(run);
    const status = (id: string) => checks.get(`k.matrix.${id}`)?.status;
    const message = (id: string) => checks.get(`k.matrix.${id}`)?.message ?? '';
    // The bare 401 is a correct refusal: the missing challenge is its own (low) finding, naming each bare 401.
    expect(checks.get('k.matrix.missing')).toMatchObject({ status: 'passed', message: 'a request without any key was refused with 401 (without a WWW-Authenticate challenge: see the www-authenticate case)' });
    const challenge = checks.get('k.matrix.www-authenticate')!;
    expect(challenge).toMatchObject({ status: 'failed', severity: 'low', message: '2 of 7 401 answers carry no WWW-Authenticate challenge, which RFC 9110 requires: no key, valid key in ?api_key=' });
    expect(challenge.assertions!.filter((a) => a.passed).map((a) => a.actual)).toEqual(Array(5).fill('ApiKey realm="x"'));
    expect(status('malformed')).toBe('failed');
    expect(message('malformed')).toMatch(/made the server fail: SQL meta-characters -> 500, JSON meta-characters -> connection dropped \(reset\)$/);
    expect(status('no-stack-trace')).toBe('failed');
    expect(status('create')).toBe('failed');
    expect(message('create')).toContain('listing shows a key in plaintext');
    expect(status('rotation')).toBe('failed');
    expect(message('rotation')).toMatch(/rotated-out key still works .* after the rotation \(grace 200ms\)/);
    expect(status('revocation')).toBe('failed');
    expect(message('revocation')).toMatch(/revoked key still works .* \(limit 300ms\)/);
  });

  it('passes what the target gets right, and skips roles the profile lacks', () => {
    const checks = byId(run);
    for (const id of ['unknown', 'valid', 'query', 'echo']) expect(checks.get(`k.matrix.${id}`)?.status, id).toBe('passed');
    expect(checks.get('k.matrix.unknown')!.message).toContain("made up from the valid key's scheme");
    for (const id of ['revoked', 'expired', 'under-scoped']) {
      expect(checks.get(`k.matrix.${id}`)).toMatchObject({ status: 'skipped', message: expect.stringContaining(`no '${id}' key`) });
    }
    expect(checks.get('k.matrix.revocation')!.evidence.data).toMatchObject({ limitMs: 300 });
  });

  it('keeps every key out of every output: profile keys and the keys the lifecycle created', () => {
    expect(broken.issued.length).toBe(2);
    const secrets = [VALID, ADMIN, ...broken.issued];
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(outputs.join('\n')).toContain('[redacted:');
  });
});

describe('api-key kind configuration', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      const ok = req.headers['x-api-key'] === VALID || req.headers.authorization === `Bearer ${VALID}`;
      res.writeHead(ok ? 200 : 401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' });
      res.end(ok ? '{"ok":true}' : '{"error":"unauthorized"}');
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('skips the lifecycle without a keyManagement section, sends keys as Bearer when asked, runs only the chosen cases', async () => {
    const profile = dir.file('plain.yaml', `target: ${server.url}\nkeys:\n  main: \${env:PLAIN_KEY}\n`);
    const scenario = dir.file(
      'plain-keys.yaml',
      `name: plain
checks:
  - { id: p.keys, kind: api-key, severity: high, in: bearer, request: { path: /x }, roles: { valid: main }, cases: [missing, valid, unknown, create, revocation] }
`,
    );
    const out = join(dir.path, 'plain');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { PLAIN_KEY: VALID } });
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    const checks = byId(JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')));
    expect([...checks.keys()]).toEqual(['p.keys.missing', 'p.keys.unknown', 'p.keys.valid', 'p.keys.create', 'p.keys.revocation']);
    expect(checks.get('p.keys.valid')!.status).toBe('passed');
    expect(checks.get('p.keys.valid')!.evidence.exchanges![0]!.request.headers.Authorization).toMatch(/^\[redacted:/);
    expect(checks.get('p.keys.create')).toMatchObject({ status: 'skipped', message: expect.stringContaining('keyManagement') });
  });

  it('refuses, before sending anything, roles that name keys the profile lacks', async () => {
    const profile = dir.file('roles.yaml', `target: ${server.url}\nkeys:\n  main: \${env:PLAIN_KEY}\n`);
    const scenario = dir.file('roles-keys.yaml', `name: roles\nchecks:\n  - { id: r.keys, kind: api-key, severity: high, request: { path: /x }, roles: { valid: mian } }\n`);
    const before = server.requests.length;
    const cli = await runCli(['run', scenario, '-p', profile], { env: { PLAIN_KEY: VALID } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/roles-keys\.yaml:\d+:\d+: error\[E_UNKNOWN_KEY\]: API key 'mian' \(role valid\) is not in the target profile/);
    expect(server.requests.length).toBe(before);
  });
});

describe('api-key rotation against a target that ends the old key early', () => {
  let dir: TempDir;
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    dir?.remove();
  });

  /** Rotating ends the old key after 100 ms although the declared grace is 1 s. */
  function earlyEndingServer(endAfterMs: number) {
    const active = new Map<string, string>();
    let next = 1;
    const issue = () => {
      const id = `key-${next++}`;
      const key = `fk_live_early${id}x${Math.random().toString(36).slice(2, 12)}`;
      active.set(key, id);
      return { id, key };
    };
    const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' }).end(JSON.stringify(body));
    };
    return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const key = req.headers['x-api-key'] as string | undefined;
      if (url.pathname.startsWith('/admin/')) {
        if (key !== ADMIN) return json(res, 401, { error: 'admin only' });
        if (url.pathname === '/admin/keys') return json(res, 201, issue());
        const [, , , id, action] = url.pathname.split('/');
        const old = [...active].find(([, i]) => i === id)?.[0];
        if (action === 'rotate' && old) {
          setTimeout(() => active.delete(old), endAfterMs);
          return json(res, 201, issue());
        }
        if (action === 'revoke' && old) return (active.delete(old), json(res, 200, { revoked: true }));
        return json(res, 404, { error: 'no such key' });
      }
      json(res, key !== undefined && (active.has(key) || key === VALID) ? 200 : 401, {});
    };
  }

  it('fails rotation, saying when the old key stopped working', async () => {
    dir = tempDir();
    server = await startTestServer(earlyEndingServer(100));
    const profile = dir.file(
      'profile.yaml',
      `target: ${server.url}
keys:
  valid: \${env:EARLY_VALID}
  admin: \${env:EARLY_ADMIN}
keyManagement:
  create: { path: /admin/keys, key: $.key, id: $.id }
  rotate: { path: "/admin/keys/{id}/rotate", grace: 1s }
  revoke: { path: "/admin/keys/{id}/revoke" }
`,
    );
    const scenario = dir.file('early.yaml', `name: early\nchecks:\n  - { id: e.keys, kind: api-key, severity: high, request: { path: /x }, cases: [rotation], lifecycle: { graceTolerance: 300ms, revocationWithin: 300ms, pollInterval: 50ms } }\n`);
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { EARLY_VALID: VALID, EARLY_ADMIN: ADMIN } });
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    const rotation = byId(JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'))).get('e.keys.rotation')!;
    expect(rotation).toMatchObject({ status: 'failed', message: expect.stringMatching(/^the old key stopped working before its grace period ended: HTTP 401 7\d\dms after the rotation \(grace 1\.00s\)$/) });
    expect(rotation.assertions!.map((a) => [a.name.replace(/\d+ms/, 'Nms'), a.passed])).toEqual([
      ['the new key is accepted', true],
      ['the old key still works within the grace period', true],
      ['the old key still works Nms into the grace period', false],
      ['the old key is refused after the grace period (1.00s + Nms)', true],
    ]);
  });
});

describe('api-key lifecycle against a create endpoint whose answer lacks the key', () => {
  let dir: TempDir;
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    dir?.remove();
  });

  it('says that a key may have been made on the target that gauntlet could not revoke', async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      const admin = req.headers['x-api-key'] === ADMIN;
      res.writeHead(admin && req.url === '/admin/keys' ? 201 : 401, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' });
      res.end(admin ? JSON.stringify({ created: true }) : '{}');
    });
    const profile = dir.file('p.yaml', `target: ${server.url}\nkeys:\n  admin: \${env:LOST_ADMIN}\nkeyManagement:\n  create: { path: /admin/keys }\n  revoke: { path: "/admin/keys/{id}/revoke" }\n`);
    const scenario = dir.file('s.yaml', 'name: s\nchecks:\n  - { id: l, kind: api-key, severity: high, request: { path: /x }, cases: [create] }\n');
    const out = join(dir.path, 'out');
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { LOST_ADMIN: ADMIN } });
    const create = byId(JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'))).get('l.create')!;
    expect(create).toMatchObject({ status: 'failed', message: expect.stringContaining('no key at $.key in the answer; the target answered 201, so a key may have been made that gauntlet could not revoke') });
  });
});

describe('api-key www-authenticate: the challenge judged apart from the refusals', () => {
  let dir: TempDir;
  const servers: TestServer[] = [];
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    dir.remove();
  });

  async function matrix(name: string, handler: Parameters<typeof startTestServer>[0], extra = ''): Promise<Map<string, CheckResult>> {
    const server = await startTestServer(handler);
    servers.push(server);
    const profile = dir.file(`${name}.yaml`, `target: ${server.url}\nkeys:\n  valid: \${env:CHALLENGE_VALID}\n`);
    const scenario = dir.file(`${name}-keys.yaml`, `name: ${name}\nchecks:\n  - { id: c, kind: api-key, severity: high, request: { path: /x }, cases: [missing, unknown, valid, www-authenticate]${extra} }\n`);
    const out = join(dir.path, name);
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { CHALLENGE_VALID: VALID } });
    return byId(JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')));
  }

  it('skips the challenge, with the statuses seen, when the target refuses with 403 only (and fails those refusals)', async () => {
    const checks = await matrix('forbidden', (req, res) => void res.writeHead(req.headers['x-api-key'] === VALID ? 200 : 403).end());
    expect(checks.get('c.www-authenticate')).toMatchObject({ status: 'skipped', message: 'no answer was a 401 (3 answers: 2 x 403, 1 x 200); RFC 9110 requires a challenge on 401 only' });
    expect(checks.get('c.missing')).toMatchObject({ status: 'failed', message: expect.stringContaining('got 403; a key that is not valid must get 401') });
  });

  it('errors the challenge when no request got an answer: nothing was observed', async () => {
    const checks = await matrix('dropping', (req) => void req.socket.destroy());
    expect(checks.get('c.www-authenticate')).toMatchObject({ status: 'errored', message: expect.stringMatching(/^none of 3 requests got an HTTP answer \(reset: .*\), so no 401 could be observed$/) });
  });

  it('fails a challenge without an auth-scheme, at the severity the scenario gives it', async () => {
    const checks = await matrix(
      'realm-only',
      (req, res) => void (req.headers['x-api-key'] === VALID ? res.writeHead(200) : res.writeHead(401, { 'www-authenticate': 'realm="api"' })).end(),
      ', severities: { www-authenticate: medium }',
    );
    for (const id of ['missing', 'unknown', 'valid']) expect(checks.get(`c.${id}`)?.status, id).toBe('passed');
    const challenge = checks.get('c.www-authenticate')!;
    expect(challenge).toMatchObject({ status: 'failed', severity: 'medium', message: expect.stringMatching(/^2 of 2 401 answers carry no WWW-Authenticate challenge, which RFC 9110 requires: no key, unknown \(made up\)$/) });
    expect(challenge.assertions!.map((a) => a.actual)).toEqual(['realm="api" (no auth-scheme)', 'realm="api" (no auth-scheme)']);
  });

  it('passes when every 401 carries one, naming the schemes', async () => {
    const checks = await matrix('bearer', (req, res) => void (req.headers['x-api-key'] === VALID ? res.writeHead(200) : res.writeHead(401, { 'www-authenticate': 'Bearer realm="api", ApiKey' })).end());
    expect(checks.get('c.www-authenticate')).toMatchObject({ status: 'passed', severity: 'low', message: 'all 2 401 answers carry a challenge (Bearer)' });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-keys-');
const running = new Set<ServeProcess>();
afterAll(() => {
  for (const serve of running) serve.child.kill('SIGKILL');
  dir.remove();
});

async function serve(db: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const started = await startServe(['--keys-db', db, '--admin-key-file', join(dir.path, 'admin.key'), ...extra], env);
  running.add(started);
  void started.exited.then(() => running.delete(started));
  return started;
}

// Plenty of sockets, so the burst really has many creations in flight at once.
const agent = new Agent({ connections: 32 });
afterAll(() => agent.close());

async function call(url: string, method: string, path: string, key: string, body?: unknown) {
  const response = await request(url + path, {
    method: method as 'GET',
    dispatcher: agent,
    headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? JSON.parse(text) : undefined, text };
}

describe('key store durability (gauntlet serve with --keys-db)', () => {
  it('keeps keys, revocations, rotations and lastUsedAt across a restart on the same file, and never prints a secret', async () => {
    const db = join(dir.path, 'restart.db');
    const first = await serve(db, ['--rotation-grace', '1h']);
    const admin = readFileSync(join(dir.path, 'admin.key'), 'utf8').trim();
    const make = async (name: string) => (await call(first.url, 'POST', '/admin/keys', admin, { name, scopes: ['data:read'] })).json as { id: string; key: string };
    const used = await make('used');
    const revoked = await make('revoked');
    const old = await make('rotated');
    expect((await call(first.url, 'GET', '/api/data', used.key)).status).toBe(200);
    await call(first.url, 'POST', `/admin/keys/${revoked.id}/revoke`, admin);
    const rotated = (await call(first.url, 'POST', `/admin/keys/${old.id}/rotate`, admin)).json as { id: string; key: string };
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await serve(db);
    expect((await call(second.url, 'GET', '/api/data', used.key)).status).toBe(200);
    expect((await call(second.url, 'GET', '/api/data', revoked.key)).json.detail).toMatch(/revoked/);
    expect((await call(second.url, 'GET', '/api/data', rotated.key)).status).toBe(200);
    expect((await call(second.url, 'GET', '/api/data', old.key)).status).toBe(200);
    const listed = (await call(second.url, 'GET', '/admin/keys', admin)).json.keys as { id: string; lastUsedAt: string | null; replacedBy: string | null }[];
    // Written on shutdown by the batched writer, not per request.
    expect(listed.find((k) => k.id === used.id)!.lastUsedAt).not.toBeNull();
    expect(listed.find((k) => k.id === old.id)!.replacedBy).toBe(rotated.id);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    for (const output of [first.output(), second.output()]) {
      for (const secret of [admin, used.key, revoked.key, old.key, rotated.key, readFileSync(`${db}.pepper`, 'utf8').trim()]) expect(output).not.toContain(secret);
    }
    expect(first.output()).toContain(`created a pepper for the key store in ${db}.pepper`);
  });

  it('refuses to start on a key database with another pepper, without printing either', async () => {
    const db = join(dir.path, 'pepper.db');
    const first = await serve(db);
    first.child.kill('SIGTERM');
    await first.exited;
    const wrong = 'a-completely-different-pepper-value';
    const { runCli } = await import('../helpers/cli.js');
    const cli = await runCli(['serve', '--keys-db', db], { env: { GAUNTLET_KEYS_PEPPER: wrong } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('error[E_KEYS_PEPPER]');
    expect(cli.stderr).toContain('another pepper');
    expect(cli.stderr + cli.stdout).not.toContain(wrong);
    expect(cli.stderr + cli.stdout).not.toContain(readFileSync(`${db}.pepper`, 'utf8').trim());
  });

  it('loses no acknowledged key when killed with SIGKILL in the middle of a burst of creations', async () => {
    const db = join(dir.path, 'burst.db');
    const server = await serve(db);
    const admin = readFileSync(join(dir.path, 'admin.key'), 'utf8').trim();
    const acknowledged: { id: string; key: string }[] = [];
    let started = 0;
    let inFlightAtKill = -1;
    const KILL_AFTER = 80;
    const worker = async (w: number) => {
      for (let i = 0; i < 1000 && inFlightAtKill < 0; i++) {
        started++;
        try {
          const answer = await call(server.url, 'POST', '/admin/keys', admin, { name: `burst ${w}.${i}`, scopes: ['data:read'] });
          if (answer.status === 201 && typeof answer.json?.key === 'string') acknowledged.push({ id: answer.json.id, key: answer.json.key });
        } catch {
          // Killed mid-request: not acknowledged, so it may or may not exist; nothing is asserted about it.
        }
        if (acknowledged.length >= KILL_AFTER && inFlightAtKill < 0) {
          inFlightAtKill = started - acknowledged.length;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    expect(await server.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    // The kill really came during the burst: other creations were still on their way.
    expect(inFlightAtKill).toBeGreaterThan(0);

    const restarted = await serve(db);
    const refused: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 16) {
      await Promise.all(
        acknowledged.slice(i, i + 16).map(async ({ id, key }) => {
          if ((await call(restarted.url, 'GET', '/api/data', key)).status !== 200) refused.push(id);
        }),
      );
    }
    expect(refused).toEqual([]);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
      const stored = check.prepare("SELECT count(*) AS n FROM api_keys WHERE name LIKE 'burst %'").get() as { n: number };
      expect(stored.n).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      check.close();
    }
  });
});

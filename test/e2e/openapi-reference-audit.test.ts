import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAWS } from '../../src/reference/server/flaws.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** What the ordinary keys hold: every scope of the reference API but the admin ones. */
const ORDINARY = ['data:read', 'users:read', 'users:write', 'notes:read', 'notes:write'];

/** `gauntlet serve` with API keys and its protections (and a flaw), and the keys of every role, made through its admin API. */
async function serveWithKeys(dir: TempDir, flaw?: string): Promise<{ server: ServeProcess; env: Record<string, string> }> {
  const adminFile = join(dir.path, `admin-${flaw ?? 'correct'}.key`);
  const server = await startServe(['--port', '0', '--keys-db', ':memory:', '--admin-key-file', adminFile, '--protections', ...(flaw ? ['--flaw', flaw] : [])]);
  const admin = readFileSync(adminFile, 'utf8').trim();
  const call = async (path: string, body?: unknown) => {
    const answer = await request(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': admin, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), headersTimeout: 5000, bodyTimeout: 5000 });
    const json = (await answer.body.json()) as { id: string; key: string };
    if (answer.statusCode >= 300) throw new Error(`POST ${path}: ${answer.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  const key = async (owner: string, scopes: string[], expiresAt?: string) => call('/admin/keys', { name: `audit ${owner}`, owner, scopes, ...(expiresAt ? { expiresAt } : {}) });
  const expiresAt = new Date(Date.now() + 600).toISOString();
  const expired = await key('alice', ORDINARY, expiresAt);
  const revoked = await key('alice', ORDINARY);
  await call(`/admin/keys/${revoked.id}/revoke`);
  const env = {
    GAUNTLET_KEY_VALID: (await key('alice', ORDINARY)).key,
    GAUNTLET_KEY_UNDER_SCOPED: (await key('alice', [])).key,
    GAUNTLET_KEY_OTHER_OWNER: (await key('bob', ORDINARY)).key,
    GAUNTLET_KEY_ADMIN: (await key('alice', [...ORDINARY, 'keys:admin', 'users:admin'])).key,
    GAUNTLET_KEY_REVOKED: revoked.key,
    GAUNTLET_KEY_EXPIRED: expired.key,
  };
  await sleep(Math.max(0, Date.parse(expiresAt) - Date.now() + 50));
  return { server, env };
}

/** `*.keys.query` -> a matcher of check ids. */
const matcher = (patterns: string[]) => {
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return (id: string) => regexes.some((r) => r.test(id));
};

describe('gauntlet init --openapi against gauntlet serve, then gauntlet run of what it wrote', () => {
  let dir: TempDir;
  let audit: string;
  beforeAll(async () => {
    dir = tempDir();
    audit = join(dir.path, 'audit');
    const { server } = await serveWithKeys(dir);
    try {
      const init = await runCli(['init', '--openapi', `${server.url}/openapi.json`, '--out', audit]);
      expect(init.code, init.stderr).toBe(0);
    } finally {
      await server.stop();
    }
    // The profile filled in as its comments ask: the revoked and expired keys added, mutations allowed.
    const profile = join(audit, 'profile.yaml');
    const text = readFileSync(profile, 'utf8').replace('keys:\n', 'keys:\n  revoked: ${env:GAUNTLET_KEY_REVOKED}\n  expired: ${env:GAUNTLET_KEY_EXPIRED}\n');
    writeFileSync(profile, `${text}mutations: allowed\n`);
  });
  afterAll(() => dir.remove());

  async function runAudit(flaw?: string): Promise<{ code: number | null; run: RunResult }> {
    const { server, env } = await serveWithKeys(dir, flaw);
    try {
      const out = join(dir.path, `out-${flaw ?? 'correct'}`);
      const cli = await runCli(['run', join(audit, 'scenarios'), '-p', join(audit, 'profile.yaml'), '-t', server.url, '--openapi', `${server.url}/openapi.json`, '-r', 'json', '-o', out], { env, timeoutMs: 120_000 });
      return { code: cli.code, run: JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')) };
    } finally {
      await server.stop();
    }
  }
  const withStatus = (run: RunResult, ...statuses: string[]) => run.scenarios.flatMap((s) => s.checks).filter((c) => statuses.includes(c.status));

  it('passes the correct server (exit 0), every operation audited', async () => {
    const { code, run } = await runAudit();
    expect(withStatus(run, 'failed', 'errored').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(code).toBe(0);
    expect(run.coverage).toMatchObject({ operations: { total: 21, audited: 21 }, untouched: [] });
    // The audit proves something: every family of the plan ran and passed somewhere.
    const passedKinds = new Set(withStatus(run, 'passed').map((c) => c.kind));
    for (const kind of ['api-key', 'bola', 'bfla', 'mass-assignment', 'methods', 'headers', 'cors', 'http']) expect(passedKinds, kind).toContain(kind);
  }, 180_000);

  it('plans a rate-limit check with the limit the document states when the server limits', async () => {
    const server = await startServe(['--port', '0', '--limiter', 'sliding-log', '--limit', '5', '--window', '2s']);
    try {
      const out = join(dir.path, 'limited');
      const init = await runCli(['init', '--openapi', `${server.url}/openapi.json`, '--out', out]);
      expect(init.code, init.stderr).toBe(0);
      // RateLimit-Policy "default";q=5;w=2 is the document's example: the profile carries it, and the check runs.
      const profile = readFileSync(join(out, 'profile.yaml'), 'utf8');
      expect(profile).toContain('rateLimits:');
      expect(profile).toContain("  # from the document's RateLimit-Policy example\n  data:\n    limit: 5\n    window: 2s\n");
      const data = readFileSync(join(out, 'scenarios', 'data.yaml'), 'utf8');
      expect(data).toContain('id: data.rate-limit');
      expect(data).not.toContain('skip:');
    } finally {
      await server.stop();
    }
  });

  const caught = FLAWS.filter((f) => f.caughtByOpenApi?.length);
  it('knows the flaws the audit catches: the three authorization flaws and the key flaws', () => {
    expect(caught.map((f) => f.name).sort()).toEqual(['bfla', 'bola', 'keys-echo', 'keys-expiry-ignored', 'keys-query-accepted', 'keys-revocation-ignored', 'keys-scope-401', 'keys-scope-ignored', 'mass-assignment']);
  });

  it.each(caught.map((f) => [f.name, f.caughtByOpenApi!]))('with flaw %s, exactly the checks %j fail', async (flaw, patterns) => {
    const { code, run } = await runAudit(flaw);
    const expected = matcher(patterns);
    const ids = run.scenarios.flatMap((s) => s.checks).map((c) => c.id);
    const failed = withStatus(run, 'failed').map((c) => c.id);
    expect(failed.length, 'the flaw is caught').toBeGreaterThan(0);
    expect(failed.sort()).toEqual(ids.filter(expected).sort());
    expect(withStatus(run, 'errored').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(code).toBe(1);
  }, 180_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { BEHAVIOURS, startClosesAfterHandshake, startHostile, type HostileServer } from '../helpers/hostile-servers.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const TIMEOUT_MS = 1000;

/** Two http checks that a well-behaved JSON API would pass, one following redirects. */
const SCENARIO = `name: hostile
checks:
  - { id: h.get, kind: http, severity: high, request: { path: /api/data }, expect: { status: 200, json: { $.ok: true } } }
  - { id: h.follow, kind: http, severity: high, request: { path: /api/data, followRedirects: 5 }, expect: { status: 200, json: { $.ok: true } } }
`;

describe('the http kind against hostile servers', () => {
  let dir: TempDir;
  let pki: TestPki;
  let bystander: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    pki = await testPki();
    // A server on another loopback address: a redirect there must never be followed.
    // On another loopback address: a redirect there that gauntlet followed would reach it.
    bystander = await startTestServer((_req, res) => res.end('{"ok":true}'), '127.0.0.2');
  });
  afterAll(async () => {
    await bystander.close();
    pki.dir.remove();
    dir.remove();
  });

  async function runAgainst(server: HostileServer, profileExtra = ''): Promise<{ checks: CheckResult[]; cli: Awaited<ReturnType<typeof runCli>> }> {
    const scenario = dir.file(`${server.name}.yaml`, SCENARIO);
    const profile = dir.file(`${server.name}.profile.yaml`, `target: ${server.url}\n${profileExtra}`);
    const out = join(dir.path, server.name);
    const cli = await runCli(['run', scenario, '-p', profile, '--timeout', `${TIMEOUT_MS}ms`, '-r', 'json', '-o', out], { timeoutMs: 30_000 });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { checks: run.scenarios.flatMap((s) => s.checks), cli };
  }

  const expectations: Record<string, { statuses: CheckResult['status'][]; transport?: string; message?: RegExp }> = {
    'never-answers': { statuses: ['errored'], transport: 'timeout', message: /no complete response within 1000ms/ },
    'accepts-never-sends-headers': { statuses: ['errored'], transport: 'timeout' },
    'drips-one-byte-a-second': { statuses: ['errored'], transport: 'timeout' },
    'resets-mid-body': { statuses: ['errored'], transport: 'reset' },
    'sends-2gb-body': { statuses: ['failed'], message: /not JSON \(read only the first 1048576 bytes\)/ },
    'sends-100k-headers': { statuses: ['errored'], transport: 'protocol-error' },
    'sends-1mb-header-line': { statuses: ['errored'], transport: 'protocol-error' },
    'malformed-status-line': { statuses: ['errored'], transport: 'protocol-error' },
    'broken-chunked-encoding': { statuses: ['errored'], transport: 'protocol-error' },
    'redirect-loop': { statuses: ['failed'], message: /status: expected 200, got 302/ },
    'redirect-to-other-host': { statuses: ['failed'], message: /status: expected 200, got 302/ },
    'tls-garbage': { statuses: ['errored'] },
  };

  it.each(Object.keys(BEHAVIOURS))('%s: every check ends errored or failed with a clear message, in time, in bounded memory', async (name) => {
    const server = await startHostile(name, { redirectTo: bystander.url });
    try {
      const { checks, cli } = await runAgainst(server);
      const expected = expectations[name]!;
      expect([1, 3]).toContain(cli.code);
      expect(checks).toHaveLength(2);
      for (const check of checks) {
        expect(expected.statuses, `${check.id}: ${check.status} ${check.message}`).toContain(check.status);
        expect(check.message.length).toBeGreaterThan(10);
        if (expected.transport) expect(check.transport).toBe(expected.transport);
        if (expected.message) expect(check.message).toMatch(expected.message);
        expect(check.durationMs).toBeLessThan(TIMEOUT_MS * 3);
      }
      expect(cli.peakRssMiB).toBeLessThan(300);
      expect(cli.durationMs).toBeLessThan(15_000);
      expect(cli.stderr).not.toMatch(/internal error|Unhandled|TypeError/);
      if (name === 'redirect-loop') {
        expect(checks[1]!.evidence.exchanges![0]!.notes).toContain('stopped after 5 redirect(s) (followRedirects)');
        expect(checks[1]!.evidence.exchanges![0]!.redirects).toHaveLength(5);
      }
      if (name === 'redirect-to-other-host') {
        expect(checks[1]!.evidence.exchanges![0]!.notes![0]).toMatch(/not followed: gauntlet never follows a redirect to another origin/);
        expect(bystander.requests).toHaveLength(0);
      }
    } finally {
      await server.close();
    }
  });

  it('closes-after-handshake: errored as a TLS rejection', async () => {
    const server = await startClosesAfterHandshake({ key: pki.read('server.key'), cert: pki.read('server.crt') });
    try {
      const { checks, cli } = await runAgainst(server, `tls:\n  ca: ${pki.path('ca.crt')}\n`);
      expect(cli.code).toBe(3);
      for (const check of checks) expect(check).toMatchObject({ status: 'errored', transport: 'tls-rejected' });
    } finally {
      await server.close();
    }
  });
});

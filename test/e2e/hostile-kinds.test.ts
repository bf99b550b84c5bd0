import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { EVERY_KIND, everyKindEnv, everyKindProfile, everyKindScenarios } from '../helpers/every-kind.js';
import { BEHAVIOURS, startAnswersEverything, startClosesAfterHandshake, startHostile, type HostileServer } from '../helpers/hostile-servers.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const TIMEOUT_MS = 1000;

/** No HTTP answer ever completes: nothing a check judges from a response can pass. */
const NO_ANSWER = new Set(['never-answers', 'accepts-never-sends-headers', 'drips-one-byte-a-second', 'resets-mid-body', 'sends-100k-headers', 'sends-1mb-header-line', 'malformed-status-line', 'broken-chunked-encoding', 'tls-garbage', 'closes-after-handshake']);
/** Kinds that judge the TLS layer too: a hostile HTTP layer behind a sound handshake leaves those parts passing. */
const JUDGES_TLS_LAYER = new Set(['tls']);

describe('every check kind against hostile servers', () => {
  let dir: TempDir;
  let pki: TestPki;
  let bystander: TestServer;
  let scenarios: string;
  beforeAll(async () => {
    dir = tempDir();
    pki = await testPki();
    // On another loopback address: a redirect there that gauntlet followed would reach it.
    bystander = await startTestServer((_req, res) => res.end('{"ok":true}'), '127.0.0.2');
    scenarios = join(dir.path, 'scenarios');
    everyKindScenarios((name, text) => dir.file(name, text));
  });
  afterAll(async () => {
    await bystander.close();
    pki.dir.remove();
    dir.remove();
  });

  it('covers every registered kind', () => {
    expect(Object.keys(EVERY_KIND).sort()).toEqual(CHECK_KINDS.map((k) => k.kind).sort());
  });

  /** The certs profile fragment (identities, CA) with the target and everything else every kind needs. */
  function writeProfile(url: string): string {
    const fragment = readFileSync(pki.path('profile.yaml'), 'utf8').replace(/^target: .*$/m, '');
    const file = pki.path('hostile-profile.yaml');
    writeFileSync(file, everyKindProfile(url, fragment));
    return file;
  }

  async function runAgainst(server: HostileServer): Promise<{ checks: CheckResult[]; cli: Awaited<ReturnType<typeof runCli>> }> {
    const out = join(dir.path, `out-${server.name}`);
    const cli = await runCli(['run', scenarios, '-p', writeProfile(server.url), '--timeout', `${TIMEOUT_MS}ms`, '-c', '4', '-r', 'json', '-o', out], {
      timeoutMs: 240_000,
      env: everyKindEnv(),
    });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { checks: run.scenarios.flatMap((s) => s.checks), cli };
  }

  const tls = () => ({ key: pki.read('server.key'), cert: pki.read('server.crt') });
  const servers: [string, () => Promise<HostileServer>][] = [
    ...Object.keys(BEHAVIOURS).map((name): [string, () => Promise<HostileServer>] => [name, () => startHostile(name, { tls: tls(), redirectTo: bystander.url })]),
    ['closes-after-handshake', () => startClosesAfterHandshake(tls())],
    ['answers-200-to-everything', () => startAnswersEverything(tls())],
  ];

  it.each(servers)('%s: every kind ends errored or failed with a clear message, within its bound, in bounded memory', async (name, start) => {
    const server = await start();
    try {
      const { checks, cli } = await runAgainst(server);
      expect([1, 3], cli.stderr).toContain(cli.code);
      expect(cli.stderr).not.toMatch(/internal error|Unhandled|TypeError|ran past its time bound/);
      expect(cli.peakRssMiB).toBeLessThan(300);
      expect(cli.durationMs).toBeLessThan(120_000);

      const byKind = new Map<string, CheckResult[]>();
      for (const check of checks) {
        const kind = check.id.split('.')[1]!;
        byKind.set(kind, [...(byKind.get(kind) ?? []), check]);
      }
      expect([...byKind.keys()].sort()).toEqual(Object.keys(EVERY_KIND).sort());
      for (const [kind, results] of byKind) {
        const summary = results.map((r) => `${r.id}: ${r.status}: ${r.message}`).join('\n');
        expect(results.some((r) => r.status === 'failed' || r.status === 'errored'), `${kind} found nothing wrong:\n${summary}`).toBe(true);
        for (const result of results) {
          expect(result.message.length, `${result.id} has no clear message`).toBeGreaterThan(10);
          expect(result.message, `${result.id} overran its bound`).not.toMatch(/ran past its time bound/);
          if (NO_ANSWER.has(name) && !JUDGES_TLS_LAYER.has(kind)) expect(result.status, `${result.id} passed with no answer: ${result.message}`).not.toBe('passed');
        }
      }
      const message = (id: string) => checks.find((c) => c.id === id)?.message;
      if (name === 'redirect-to-other-host') expect(bystander.requests).toHaveLength(0);
      if (name === 'sends-2gb-body') expect(message('k.load')).toMatch(/more than the body cap .* no load sent/);
      if (name === 'answers-200-to-everything' || name.startsWith('redirect')) expect(message('k.api-key-timing')).toMatch(/made-up keys were answered \d+, not refused/);
      if (name === 'never-answers') expect(message('k.rate-limit.fingerprint')).toMatch(/not run: the requests of the last 2 probes got no HTTP answer/);
    } finally {
      await server.close();
    }
  }, 240_000);
});

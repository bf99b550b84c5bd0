import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * A certificate that chains to the profile's CA but names only localhost, reached as 127.0.0.1: the host-name
 * check fails. undici mishandled that failure from the burst engine's connector and died on an assertion
 * (exit 1, no report); the warm pool now hands it on as an ordinary connect error.
 */
describe('rate-limit bursts against a certificate for another host', () => {
  let dir: TempDir;
  let pki: TestPki;
  let server: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    dir = tempDir();
    pki = await testPki(['localhost']);
    server = createServer({ key: pki.read('server.key'), cert: pki.read('server.crt') }, (_req, res) => {
      requests++;
      res.end('{}');
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    pki.dir.remove();
    dir.remove();
  });

  it.each(['parallel', 'pipelined', 'sequential'])('%s: the report is written and the probes are errored with tls-verify-failed', async (transport) => {
    const profile = dir.file(`${transport}.profile.yaml`, `target: ${url}\ntls:\n  ca: ${pki.path('ca.crt')}\n`);
    const scenario = dir.file(
      `${transport}.yaml`,
      `name: wrong-host\nchecks:\n  - { id: rl, kind: rate-limit, severity: high, request: { path: /api }, policy: { limit: 5, window: 1s }, transport: ${transport} }\n`,
    );
    const out = join(dir.path, transport);
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { timeoutMs: 120_000 });
    expect(cli.code, cli.stderr).not.toBe(70);
    expect([1, 3], cli.stderr).toContain(cli.code);
    expect(cli.stderr).not.toMatch(/AssertionError|internal error/);

    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const probes = run.scenarios[0]!.checks;
    const summary = probes.map((p) => `${p.id}: ${p.status} ${p.transport} ${p.message}`).join('\n');
    // The burst probe dials first and meets the failed handshake; the rest are not run for want of any answer.
    const discovery = probes.find((p) => p.id === 'rl.discovery');
    expect(discovery, summary).toMatchObject({ status: 'errored', transport: 'tls-verify-failed' });
    expect(discovery!.message).toMatch(/does not match certificate's altnames/);
    for (const probe of probes) {
      expect(probe.status, summary).toBe('errored');
      if (probe.transport === undefined) expect(probe.message, summary).toMatch(/^not run: .* got no HTTP answer/);
      else expect(probe.transport, summary).toBe('tls-verify-failed');
    }
    expect(requests).toBe(0);
  });
});

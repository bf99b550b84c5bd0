import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startNginx } from '../helpers/nginx.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { requireService } from '../helpers/services.js';

const nginx = requireService('nginx', 'limits per client certificate are proven against nginx limit_req', 'nginx-light');

/**
 * nginx terminating mutual TLS and limiting each client certificate, as gateways that identify clients by
 * certificate do: `limit_req_zone $ssl_client_s_dn`, 5 r/s with a burst of 10 (11 at once). The callers of the
 * probes are the profile's client identities (the PKI of `gauntlet certs`: valid, valid-2, not-allowed all pass
 * `ssl_verify_client on`). The mistake: the zone keyed on the address, so every client of one host shares a quota.
 */
function nginxConfig(dir: string, port: number, key: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  limit_req_zone ${key} zone=clients:1m rate=5r/s;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate        ${dir}/server.crt;
    ssl_certificate_key    ${dir}/server.key;
    ssl_client_certificate ${dir}/ca-chain.crt;
    ssl_verify_client      on;
    ssl_verify_depth       2;
    root ${dir}/www;
    location /api/ {
      limit_req zone=clients burst=10 nodelay;
      limit_req_status 429;
      try_files $uri =404;
    }
  }
}
`;
}

describe.skipIf(!nginx)('nginx limit_req per client certificate (limit_req_zone $ssl_client_s_dn)', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await testPki();
    pki.dir.file('www/api/data', '{"data":[1,2,3]}\n');
  });
  afterAll(() => pki?.dir.remove());

  async function audit(name: string, key: string, identities: string[], probes: string[]): Promise<Map<string, CheckResult>> {
    const server = await startNginx(nginx!, pki.dir, (port) => nginxConfig(pki.dir.path, port, key));
    try {
      const scenario = pki.dir.file(
        `${name}.yaml`,
        `name: ${name}\nchecks:\n  - id: rl\n    kind: rate-limit\n    severity: high\n    request: { path: /api/data }\n    probes: [${probes.join(', ')}]\n    policy: { rate: 5r/s, burst: 11, keyedOn: identity, identities: [${identities.join(', ')}] }\n`,
      );
      const out = join(pki.dir.path, `out-${name}`);
      await runCli(['run', scenario, '-p', pki.path('profile.yaml'), '--target', `https://127.0.0.1:${server.port}`, '-r', 'json', '-o', out], { timeoutMs: 120_000 });
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.case!, c]));
    } finally {
      await server.stop();
    }
  }

  it('keyed on the certificate DN: each identity has its own quota', async () => {
    // for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code} ' --cacert ca.crt --cert client-valid.crt
    //   --key client-valid.key https://127.0.0.1:$PORT/api/data; done   -> 200 eleven times, then 429
    // then the same once with client-valid-2.crt                          -> 200
    const results = await audit('per-dn', '$ssl_client_s_dn', ['valid-2', 'not-allowed'], ['discovery', 'isolation', 'refused-counted']);
    expect(Object.fromEntries([...results].map(([probe, c]) => [probe, `${c.status}: ${c.message}`]))).toEqual({
      discovery: 'passed: a burst of 27 admitted 11, the declared limit 11, and refused 16',
      isolation: expect.stringMatching(/^passed: with A \((valid|valid-2|not-allowed)\) refused, B \((valid|valid-2|not-allowed)\) still had its whole quota: 11 admitted/),
      'refused-counted': expect.stringMatching(/^passed: /),
    });
  }, 120_000);

  it('a mistake: the zone keyed on the client address, so another certificate from the same host is refused too', async () => {
    // With $binary_remote_addr: after client-valid's 11, `curl ... --cert client-valid-2.crt ...` prints 429.
    const results = await audit('per-address', '$binary_remote_addr', ['valid-2'], ['isolation']);
    const isolation = results.get('isolation')!;
    expect(isolation.status, isolation.message).toBe('failed');
    expect(isolation.message).toMatch(/^with A \((valid|valid-2)\) refused, B's \((valid|valid-2)\) quota: expected 11 admitted, got [0-2] admitted \(([0-2] x 200, )?\d+ x 429\)$/);
  }, 120_000);

  it('with too few identities for a probe that needs two clients at once, says how many more to name', async () => {
    const results = await audit('too-few', '$ssl_client_s_dn', [], ['isolation']);
    expect(results.get('isolation')).toMatchObject({
      status: 'skipped',
      message: "not run: it needs 2 distinct callers at once and has 1 (the policy names none, plus the request's own): name 1 more under the policy's identities: (client certificates of tls.identities) [E_CALLERS]",
    });
  }, 60_000);
});

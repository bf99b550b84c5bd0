import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startNginx, type RunningNginx } from '../helpers/nginx.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { requireService } from '../helpers/services.js';

const nginx = requireService('nginx', 'the mTLS scenario is proven against a server gauntlet did not write', 'nginx-light');

/**
 * nginx terminating mutual TLS with the PKI of `gauntlet certs` (the README shows the server block). The
 * allow-list is a map on the subject DN: nginx has no variable for the SAN URI, so both allowed identities are
 * matched by CN. /api/data answers a fixed JSON body like the reference route; /whoami echoes the subject DN.
 */
function nginxConfig(dir: string, pki: string, port: number): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  map $ssl_client_s_dn $client_allowed {
    default 0;
    "~(^|,)CN=client-valid(,|$)" 1;
    "~(^|,)CN=client-valid-2(,|$)" 1;
  }

  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate        ${pki}/server.crt;
    ssl_certificate_key    ${pki}/server.key;
    ssl_protocols          TLSv1.2 TLSv1.3;
    ssl_client_certificate ${pki}/ca-chain.crt;
    ssl_verify_client      on;
    ssl_verify_depth       2;
    ssl_crl                ${pki}/crl.pem;
    default_type           application/json;

    location = /api/data {
      if ($client_allowed = 0) { return 403 '{"title":"client certificate not allowed"}'; }
      return 200 '{"data":[{"id":1,"value":"alpha"}],"count":1}';
    }
    location = /whoami {
      if ($client_allowed = 0) { return 403 '{"title":"client certificate not allowed"}'; }
      return 200 '{"subject":"$ssl_client_s_dn","verify":"$ssl_client_verify"}';
    }
    location / { return 404 '{"title":"not found"}'; }
  }
}
`;
}

describe.skipIf(!nginx)('the mtls scenario against nginx (ssl_verify_client on, CA chain, CRLs)', () => {
  let pki: TestPki;
  let server: RunningNginx;
  let results: Map<string, CheckResult>;
  let code: number | null;
  let output: string;

  beforeAll(async () => {
    pki = await testPki();
    server = await startNginx(nginx!, pki.dir, (port) => nginxConfig(pki.dir.path, pki.dir.path, port));
    const out = join(pki.dir.path, 'out');
    const cli = await runCli(['run', join(ROOT, 'scenarios/mtls.yaml'), join(ROOT, 'scenarios/tls.yaml'), '-p', pki.path('profile.yaml'), '--target', `https://127.0.0.1:${server.port}`, '-r', 'json', '-o', out]);
    code = cli.code;
    output = cli.stdout + cli.stderr;
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    results = new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
  });
  afterAll(async () => {
    await server?.stop();
    pki?.dir.remove();
  });

  it('passes every case of scenarios/mtls.yaml and scenarios/tls.yaml', () => {
    expect(code, `${output}\n${server.errorLog()}`).toBe(0);
    expect(results.size).toBe(11 + 1 + 6);
    for (const result of results.values()) expect(result.status, `${result.id}: ${result.message}`).toBe('passed');
  });

  // Every case runs over TLS 1.2 and TLS 1.3 (tlsVersions' default); nginx refuses the same way over both.
  //   curl -sS --tlsv1.2 --tls-max 1.2 --cacert ca.crt https://127.0.0.1:$PORT/api/data          (and 1.3)
  //     -> 400, <title>400 No required SSL certificate was sent</title>
  //   curl ... --cert client-expired.crt --key client-expired.key (untrusted, self-signed, not-yet-valid,
  //     revoked, server-eku-only alike) -> 400, <title>400 The SSL certificate error</title>
  //   curl ... --cert client-not-allowed.crt ... -> 403 {"title":"client certificate not allowed"}
  //   openssl s_client -tls1_2 (and -tls1_3) -cert client-wrong-key.crt -key client-wrong-key.key
  //     -> "tlsv1 alert decrypt error ... SSL alert number 51" (over 1.3 on the first read, after the handshake)
  it('sees nginx reject at the HTTP layer what nginx rejects there, and at the handshake what OpenSSL does, over both versions', () => {
    const how = (name: string) => results.get(`mtls.client-certs.${name}`)!.message;
    expect(how('no-client-cert')).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 400 "No required SSL certificate was sent"');
    for (const name of ['untrusted', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only']) {
      expect(how(name), name).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 400 "The SSL certificate error"');
    }
    expect(how('not-allowed')).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 403 "client certificate not allowed"');
    expect(how('wrong-key')).toBe('TLSv1.2, TLSv1.3: rejected at the TLS layer with alert decrypt_error');
    expect(how('valid')).toBe('TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid');
    expect(how('valid-2')).toBe('TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid-2');

    const refusals = (name: string) => (results.get(`mtls.client-certs.${name}`)!.evidence.data!.versions as { version: string; refusal?: unknown }[]).map((v) => [v.version, v.refusal]);
    expect(refusals('expired')).toEqual([
      ['TLSv1.2', { layer: 'http', status: 400, reason: 'The SSL certificate error' }],
      ['TLSv1.3', { layer: 'http', status: 400, reason: 'The SSL certificate error' }],
    ]);
    expect(refusals('wrong-key')).toEqual([
      ['TLSv1.2', { layer: 'tls', alert: 'decrypt_error', code: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR' }],
      ['TLSv1.3', { layer: 'tls', alert: 'decrypt_error', code: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR' }],
    ]);
    // Each request went over the version it names.
    for (const exchange of results.get('mtls.client-certs.expired')!.evidence.exchanges!) expect(exchange.tls?.protocol).toBe(exchange.label!.split(' ')[1]);
    // nginx completes the handshake and answers 400: required, as the probe reads it.
    expect(results.get('mtls.handshake.client-certificate')!.message).toMatch(/^client certificate required: the server asked for a certificate; the request without a certificate was answered "HTTP\/1\.1 400 Bad Request"/);
  });

  it('logs why nginx refused each certificate (its own verdicts, not ours)', () => {
    const log = server.errorLog();
    for (const reason of [
      'client sent no required SSL certificate',
      '(21:unable to verify the first certificate)', // untrusted
      '(3:unable to get certificate CRL)', // self-signed: no CRL can exist for it
      '(10:certificate has expired)',
      '(9:certificate is not yet valid)',
      '(23:certificate revoked)',
      '(26:unsuitable certificate purpose)', // server-eku-only
    ]) {
      expect(log).toContain(reason);
    }
  });
});

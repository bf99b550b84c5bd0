import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startNginx, type RunningNginx } from '../helpers/nginx.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { requireService } from '../helpers/services.js';
import { tempDir, type TempDir } from '../helpers/temp.js';
import { startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { closedPort } from '../helpers/servers.js';

const nginx = requireService('nginx', 'the headers kind is proven against the 400 page nginx answers a request without a client certificate with', 'nginx-light');
const haproxy = requireService('haproxy', 'the headers kind is proven against a gateway that refuses a missing client certificate at the TLS layer');

/**
 * The headers kind against mTLS gateways as their users configure them, with the test PKI of `gauntlet certs`.
 * The success request carries the profile's client certificate (client-valid); the unauthorized one, by default,
 * no credentials at all. Each expected verdict cites what curl (or openssl s_client) got from the same config:
 *   curl -si --cacert ca.crt [--cert client-valid.crt --key client-valid.key] https://127.0.0.1:PORT/api/data
 */
const SCENARIO = `name: gateway headers
checks:
  - id: gw
    kind: headers
    severity: medium
    cases: [success, unauthorized, not-found, no-version-leak]
    responses:
      success: { request: { path: /api/data }, authenticated: true }
`;

function nginxConfig(dir: string, pki: string, port: number, headers: string): string {
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
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate        ${pki}/server.crt;
    ssl_certificate_key    ${pki}/server.key;
    ssl_client_certificate ${pki}/ca-chain.crt;
    ssl_verify_client      on;
    ssl_verify_depth       2;
    default_type           application/json;
${headers}
    location = /api/data { return 200 '{"data":[1,2,3]}'; }
    location / { return 404 '{"title":"not found"}'; }
  }
}
`;
}

/** The usual first try: add_header without `always`, which nginx applies to 2xx and 3xx only; server_tokens left on. */
const HEADERS_WITHOUT_ALWAYS = `    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains";
    add_header X-Content-Type-Options nosniff;
    add_header X-Frame-Options DENY;
    add_header Referrer-Policy no-referrer;
    add_header Cache-Control no-store;`;

/** Every header on every answer (`always`) but Referrer-Policy, with server_tokens off and a charset. */
const HEADERS_ALWAYS_BUT_REFERRER = `    server_tokens off;
    charset utf-8;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    add_header Referrer-Policy no-referrer;
    add_header Cache-Control no-store always;`;

function results(dir: string): Map<string, CheckResult> {
  const run: RunResult = JSON.parse(readFileSync(join(dir, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
}
const failedRules = (check: CheckResult | undefined) => check!.assertions!.filter((a) => !a.passed).map((a) => a.name);

describe('headers kind against mTLS gateways: nginx ssl_verify_client on, haproxy verify required', () => {
  let pki: TestPki;
  const runtimes: TempDir[] = [];
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    for (const dir of runtimes) dir.remove();
    pki?.dir.remove();
  });

  async function audit(name: string, port: number, extra = ''): Promise<Map<string, CheckResult>> {
    const scenario = pki.dir.file(`${name}.yaml`, SCENARIO + extra);
    const out = join(pki.dir.path, name);
    const cli = await runCli(['run', scenario, '-p', pki.path('profile.yaml'), '--target', `https://127.0.0.1:${port}`, '-r', 'json', '-o', out]);
    expect([0, 1], cli.stdout + cli.stderr).toContain(cli.code);
    return results(out);
  }

  async function nginxWith(headers: string): Promise<RunningNginx> {
    const runtime = tempDir('gauntlet-nginx-');
    runtimes.push(runtime);
    const server = await startNginx(nginx!, runtime, (port) => nginxConfig(runtime.path, pki.dir.path, port, headers));
    stops.push(() => server.stop());
    return server;
  }

  it.skipIf(!nginx)('nginx with add_header but not `always`: its built-in 400 page for a missing certificate is judged, and fails', async () => {
    const server = await nginxWith(HEADERS_WITHOUT_ALWAYS);
    const checks = await audit('nginx-no-always', server.port);
    // curl -si --cert client-valid.crt ... /api/data -> 200 with HSTS, nosniff, X-Frame-Options: DENY,
    //   Referrer-Policy: no-referrer, Cache-Control: no-store, Content-Type: application/json
    expect(checks.get('gw.success')).toMatchObject({ status: 'passed', message: 'HTTP 200: 6 header rule(s) met' });
    // curl -si ... /api/data (no certificate) -> "HTTP/1.1 400 Bad Request", <title>400 No required SSL certificate was
    //   sent</title>, Server: nginx/1.22.1, Content-Type: text/html (no charset), none of the add_header headers.
    const unauthorized = checks.get('gw.unauthorized')!;
    expect(unauthorized.status).toBe('failed');
    expect(unauthorized.evidence.exchanges![0]!.response!.status).toBe(400);
    expect(failedRules(unauthorized)).toEqual(['X-Content-Type-Options is nosniff', 'framing is restricted', 'Referrer-Policy is safe', 'Content-Type is present, with a charset']);
    // curl -si --cert client-valid.crt ... /gauntlet-no-such-path-x -> 404 {"title":"not found"} without the headers.
    expect(failedRules(checks.get('gw.not-found'))).toEqual(['X-Content-Type-Options is nosniff', 'framing is restricted', 'Referrer-Policy is safe']);
    // Server: nginx/1.22.1 on every answer.
    expect(checks.get('gw.no-version-leak')).toMatchObject({ status: 'failed', severity: 'low', message: expect.stringContaining('nginx/1.22.1') });
  });

  it.skipIf(!nginx)('nginx with `always` but for Referrer-Policy: classes.client-error judges its error pages apart, the success still on every rule', async () => {
    const server = await nginxWith(HEADERS_ALWAYS_BUT_REFERRER);
    // curl -si ... /api/data (no certificate) -> 400, Server: nginx, Content-Type: text/html; charset=utf-8, HSTS,
    //   nosniff, X-Frame-Options: DENY, Cache-Control: no-store, and no Referrer-Policy (added without `always`).
    // curl -si --cert client-valid.crt ... /gauntlet-no-such-path-x -> 404, the same headers, no Referrer-Policy.
    const strict = await audit('nginx-always', server.port);
    expect(failedRules(strict.get('gw.unauthorized'))).toEqual(['Referrer-Policy is safe']);
    expect(failedRules(strict.get('gw.not-found'))).toEqual(['Referrer-Policy is safe']);
    // Server: nginx (server_tokens off) names no version.
    expect(strict.get('gw.no-version-leak')).toMatchObject({ status: 'passed' });

    const lenient = await audit('nginx-always-classes', server.port, '    classes:\n      client-error: { referrerPolicy: false }\n');
    expect(lenient.get('gw.unauthorized')).toMatchObject({ status: 'passed', message: 'HTTP 400 to GET /api/data without client certificate: 4 header rule(s) met' });
    expect(lenient.get('gw.unauthorized')!.evidence.notes).toEqual(['header rules: require, then classes.client-error (referrerPolicy: false)']);
    expect(lenient.get('gw.not-found')).toMatchObject({ status: 'passed' });
    // curl -si --cert client-valid.crt ... /api/data -> 200 with Referrer-Policy: no-referrer: still required there.
    expect(lenient.get('gw.success')).toMatchObject({ status: 'passed', message: 'HTTP 200: 6 header rule(s) met' });
    expect(lenient.get('gw.success')!.assertions!.map((a) => a.name)).toContain('Referrer-Policy is safe');
  });

  it.skipIf(!haproxy)('haproxy with verify required: a request without a certificate gets no HTTP answer, so the unauthorized case is skipped', async () => {
    const runtime = tempDir('gauntlet-haproxy-');
    runtimes.push(runtime);
    const pem = runtime.file('server.pem', pki.read('server.crt') + pki.read('server.key'));
    const bind = (port: number, extra = '') => `  bind 127.0.0.1:${port} ssl crt ${pem} ca-file ${pki.path('ca-chain.crt')} verify required${extra}`;
    const tls12 = await closedPort();
    const server: RunningHaproxy = await startHaproxy(haproxy!, runtime, (tls13) =>
      [
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 5s',
        '  timeout server 5s',
        'frontend api',
        bind(tls13),
        bind(tls12, ' ssl-max-ver TLSv1.2'),
        `  http-request return status 200 content-type application/json string '{"data":[1,2,3]}' hdr X-Content-Type-Options nosniff hdr X-Frame-Options DENY hdr Referrer-Policy no-referrer hdr Cache-Control no-store if { path /api/data }`,
        `  http-request return status 404 content-type application/json string '{"title":"not found"}' hdr X-Content-Type-Options nosniff hdr X-Frame-Options DENY hdr Referrer-Policy no-referrer`,
        '',
      ].join('\n'),
    );
    stops.push(() => server.stop());
    const tls13 = server.port;

    // curl -si ... /api/data (no certificate) -> curl: (56) OpenSSL SSL_read: ... tlsv13 alert certificate required
    //   (openssl s_client -tls1_3: "SSL alert number 116" at the first read, after the handshake)
    const over13 = await audit('haproxy-tls13', tls13);
    expect(over13.get('gw.unauthorized')).toMatchObject({
      status: 'skipped',
      message: 'the TLS layer refused GET /api/data without client certificate before any HTTP answer (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED), so there are no response headers to judge; the refusal itself is for the mtls kind to judge',
    });
    // The alert arrives at the first read, after the handshake: it is kept as the refusal's cause, by name.
    expect(over13.get('gw.unauthorized')!.evidence.exchanges![0]!.transport).toMatchObject({ class: 'tls-rejected', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', alert: 'certificate_required' });
    // curl -si --tls-max 1.2 ... /api/data (no certificate) -> curl: (35) ... sslv3 alert handshake failure (alert 40)
    const over12 = await audit('haproxy-tls12', tls12);
    expect(over12.get('gw.unauthorized')).toMatchObject({ status: 'skipped', message: expect.stringContaining('before any HTTP answer (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)') });

    for (const checks of [over13, over12]) {
      // curl -si --cert client-valid.crt ... /api/data -> 200 with nosniff, DENY, no-referrer, no-store; /nope -> 404 with the first three.
      expect(checks.get('gw.success')).toMatchObject({ status: 'passed' });
      expect(checks.get('gw.not-found')).toMatchObject({ status: 'passed' });
      // http-request return sends no Server header.
      expect(checks.get('gw.no-version-leak')).toMatchObject({ status: 'passed' });
    }
  });
});

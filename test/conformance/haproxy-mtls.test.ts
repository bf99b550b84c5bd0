import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { haproxyGlobal, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { requireService } from '../helpers/services.js';

const haproxy = requireService('haproxy', 'mTLS verdicts are proven against HAProxy, a gateway gauntlet did not write');

/**
 * HAProxy 2.6 terminating mutual TLS in front of an application, configured the way its users write it: the
 * server certificate and key in one PEM (`crt`), the CA chain that issues client certificates (`ca-file`), both
 * CRLs (`crl-file`: OpenSSL checks every CA of the chain once a CRL is given), `verify required`; the verified
 * identity goes to the application as headers (client copies removed first), and an allow-list on the subject CN.
 * The application (the backend) answers /api/data and echoes, on /whoami, the DN HAProxy passed.
 */
interface FrontendOptions {
  verify: 'required' | 'optional';
  crl: boolean;
  /** The access rule after the TLS layer. */
  guard: string;
}

const CORRECT: FrontendOptions = { verify: 'required', crl: true, guard: 'acl allowed_client ssl_c_s_dn(CN) -m str client-valid client-valid-2\n  http-request deny unless allowed_client' };

function haproxyConfig(pki: TestPki, backend: number, port: number, options: FrontendOptions): string {
  const crl = options.crl ? ` crl-file ${pki.path('crl.pem')}` : '';
  return `${haproxyGlobal()}
frontend api
  bind 127.0.0.1:${port} ssl crt ${pki.path('server.pem')} ca-file ${pki.path('ca-chain.crt')}${crl} verify ${options.verify}
  http-request del-header X-SSL-Client-Verify
  http-request del-header X-SSL-Client-DN
  http-request set-header X-SSL-Client-Verify %[ssl_c_verify]
  http-request set-header X-SSL-Client-DN %[ssl_c_s_dn]
  ${options.guard}
  default_backend app

backend app
  server app1 127.0.0.1:${backend}
`;
}

const PROTECTED = '{"data":[{"id":1,"value":"alpha"}],"count":1}';

async function startBackend(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/data') return res.end(PROTECTED);
    if (req.url === '/whoami') return res.end(JSON.stringify({ subject: req.headers['x-ssl-client-dn'] ?? null, verify: req.headers['x-ssl-client-verify'] ?? null }));
    res.statusCode = 404;
    res.end('{"title":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe.skipIf(!haproxy)('HAProxy 2.6 terminating mTLS', () => {
  let pki: TestPki;
  let backend: { server: Server; port: number };
  const running: RunningHaproxy[] = [];

  beforeAll(async () => {
    pki = await testPki();
    // HAProxy wants the certificate (with its chain) and the key in one file.
    pki.dir.file('server.pem', pki.read('server.crt') + pki.read('server.key'));
    backend = await startBackend();
  });
  afterAll(async () => {
    await Promise.all(running.map((h) => h.stop()));
    backend?.server.close();
    pki?.dir.remove();
  });

  async function start(name: string, options: FrontendOptions): Promise<RunningHaproxy> {
    const started = await startHaproxy(haproxy!, pki.dir, (port) => haproxyConfig(pki, backend.port, port, options), { name: `${name}.cfg` });
    running.push(started);
    return started;
  }

  async function run(name: string, server: RunningHaproxy, scenarios: string[]): Promise<{ code: number | null; results: Map<string, CheckResult>; output: string }> {
    const out = join(pki.dir.path, `out-${name}`);
    const cli = await runCli(['run', ...scenarios.map((s) => join(ROOT, 'scenarios', s)), '-p', pki.path('profile.yaml'), '--target', `https://127.0.0.1:${server.port}`, '-r', 'json', '-o', out]);
    const report: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { code: cli.code, results: new Map(report.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])), output: cli.stdout + cli.stderr };
  }

  const messageOf = (results: Map<string, CheckResult>, name: string) => {
    const result = results.get(`mtls.client-certs.${name}`)!;
    return `${result.status}: ${result.message}`;
  };

  describe('verify required, ca-file, crl-file, an allow-list on the CN', () => {
    let server: RunningHaproxy;
    let results: Map<string, CheckResult>;
    let code: number | null;
    let output: string;
    beforeAll(async () => {
      server = await start('correct', CORRECT);
      ({ code, results, output } = await run('correct', server, ['mtls.yaml', 'tls.yaml']));
    });

    it('passes every case of scenarios/mtls.yaml and scenarios/tls.yaml', () => {
      expect(code, `${output}\n${server.log()}`).toBe(0);
      expect(results.size).toBe(11 + 1 + 6);
      for (const result of results.values()) expect(result.status, `${result.id}: ${result.message}`).toBe('passed');
    });

    // HAProxy refuses at the handshake, with the alert OpenSSL chose for the verify error, over both versions:
    //   printf 'GET /api/data HTTP/1.1\r\nHost: x\r\n\r\n' | openssl s_client -connect 127.0.0.1:$PORT -tls1_2 \
    //     -CAfile ca.crt [-cert client-<role>.crt -key client-<role>.key] -quiet        (and -tls1_3)
    //   no certificate  -1.2: "sslv3 alert handshake failure ... SSL alert number 40"
    //                   -1.3: "tlsv13 alert certificate required ... SSL alert number 116"
    //   untrusted, self-signed: "tlsv1 alert unknown ca ... SSL alert number 48" (both versions)
    //   expired: "sslv3 alert certificate expired ... 45"     not-yet-valid: "sslv3 alert bad certificate ... 42"
    //   revoked: "sslv3 alert certificate revoked ... 44"     server-eku-only: "sslv3 alert unsupported certificate ... 43"
    //   wrong-key: "tlsv1 alert decrypt error ... 51"
    // Over TLS 1.3 the alert comes on the first read after the handshake: curl --tlsv1.3 reports it from SSL_read
    // ("curl: (56) OpenSSL SSL_read: ... sslv3 alert certificate expired").
    it('names the alert HAProxy sent for each refused certificate, over TLS 1.2 and TLS 1.3', () => {
      expect(messageOf(results, 'no-client-cert')).toBe('passed: TLSv1.2: rejected at the TLS layer with alert handshake_failure; TLSv1.3: rejected at the TLS layer with alert certificate_required');
      const alerts: Record<string, string> = {
        untrusted: 'unknown_ca',
        'self-signed': 'unknown_ca',
        expired: 'certificate_expired',
        'not-yet-valid': 'bad_certificate',
        revoked: 'certificate_revoked',
        'server-eku-only': 'unsupported_certificate',
        'wrong-key': 'decrypt_error',
      };
      for (const [name, alert] of Object.entries(alerts)) {
        expect(messageOf(results, name), name).toBe(`passed: TLSv1.2, TLSv1.3: rejected at the TLS layer with alert ${alert}`);
        const versions = results.get(`mtls.client-certs.${name}`)!.evidence.data!.versions as { version: string; refusal: { alert?: string } }[];
        expect(versions.map((v) => [v.version, v.refusal.alert])).toEqual([['TLSv1.2', alert], ['TLSv1.3', alert]]);
      }
    });

    // curl --cert client-not-allowed.crt ... -> "HTTP/1.1 403 Forbidden", "<h1>403 Forbidden</h1> Request forbidden
    // by administrative rules." (http-request deny); curl --cert client-valid.crt .../whoami ->
    // {"subject":"/CN=client-valid/O=gauntlet test PKI","verify":"0"}
    it('sees the allow-list refuse at the HTTP layer, and the allowed identities served and named', () => {
      expect(messageOf(results, 'not-allowed')).toBe('passed: TLSv1.2, TLSv1.3: rejected with HTTP 403 "Forbidden"');
      expect(messageOf(results, 'valid')).toBe('passed: TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid');
      expect(messageOf(results, 'valid-2')).toBe('passed: TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid-2');
      // `openssl s_client -tls1_2` without a certificate: "Acceptable client certificate CA names", then alert 40.
      expect(results.get('mtls.handshake.client-certificate')!.message).toBe('client certificate required: the handshake without a certificate failed (alert handshake_failure); the server asked for a certificate');
      // openssl s_client -tls1 (and -tls1_1) -cipher DEFAULT:@SECLEVEL=0: "tlsv1 alert protocol version ... 70".
      expect(results.get('tls.server.legacy-versions')!.message).toBe('TLSv1 refused (alert protocol_version); TLSv1.1 refused (alert protocol_version)');
    });

    it('logs a refused handshake for each bad certificate (HAProxy\'s own verdicts)', () => {
      const log = server.log();
      expect(log).toMatch(/api\/1: SSL client certificate not trusted/);
      expect(log).toMatch(/api\/1: SSL handshake failure/);
      expect(log).toMatch(/"GET \/api\/data HTTP\/1\.1"/);
    });
  });

  // A common mistake: `verify optional`, so some routes can do without a certificate, guarded by `ssl_c_verify 0`.
  // ssl_c_verify is 0 when no certificate was presented at all, so a request without one is let through:
  //   curl -sS --tlsv1.2 --tls-max 1.2 --cacert ca.crt -w '%{http_code}' https://127.0.0.1:$PORT/api/data -> 200
  //   (and --tlsv1.3 --tls-max 1.3 -> 200), body {"data":[{"id":1,"value":"alpha"}],"count":1}
  // A presented certificate is still verified at the handshake (HAProxy aborts on a verify error whatever
  // `verify` says): curl --cert client-revoked.crt ... -> "(35) ... sslv3 alert certificate revoked".
  it('finds `verify optional` guarded by ssl_c_verify alone: a request without a certificate is served', async () => {
    const server = await start('verify-optional', { verify: 'optional', crl: true, guard: 'http-request deny unless { ssl_c_verify 0 }' });
    const { code, results } = await run('verify-optional', server, ['mtls.yaml']);
    expect(code).toBe(1);
    expect(messageOf(results, 'no-client-cert')).toBe('failed: TLSv1.2, TLSv1.3: served: HTTP 200 with the protected content');
    // This config has no allow-list either: any certificate of the CA gets in.
    expect(messageOf(results, 'not-allowed')).toBe('failed: TLSv1.2, TLSv1.3: served: HTTP 200 with the protected content');
    expect(messageOf(results, 'revoked')).toBe('passed: TLSv1.2, TLSv1.3: rejected at the TLS layer with alert certificate_revoked');
    expect(messageOf(results, 'expired')).toBe('passed: TLSv1.2, TLSv1.3: rejected at the TLS layer with alert certificate_expired');
    expect(messageOf(results, 'valid')).toMatch(/^passed: /);
    // openssl s_client -tls1_2 without a certificate: "Acceptable client certificate CA names", the handshake
    // completes, and GET / reaches the application (its 404): optional, not required.
    expect(results.get('mtls.handshake.client-certificate')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^client certificate optional, expected required: the server asked for a certificate; the request without a certificate was answered "HTTP\/1\.1 404 Not Found"/) });
  });

  // Another: no crl-file. The revoked certificate verifies (its chain is valid; nobody told HAProxy it was revoked):
  //   curl -sS --tlsv1.2 --tls-max 1.2 --cacert ca.crt --cert client-revoked.crt --key client-revoked.key \
  //     -w '%{http_code}' https://127.0.0.1:$PORT/api/data -> 200 (and with --tlsv1.3 --tls-max 1.3)
  it('finds a missing crl-file: the revoked certificate is served, over both versions', async () => {
    const server = await start('no-crl', { ...CORRECT, crl: false });
    const { code, results } = await run('no-crl', server, ['mtls.yaml']);
    expect(code).toBe(1);
    expect(messageOf(results, 'revoked')).toBe('failed: TLSv1.2, TLSv1.3: served: HTTP 200 with the protected content');
    // Everything else is refused as with the CRL (the openssl s_client alerts above, bar certificate_revoked).
    const failed = [...results.values()].filter((r) => r.status !== 'passed').map((r) => r.id);
    expect(failed).toEqual(['mtls.client-certs.revoked']);
  });
});

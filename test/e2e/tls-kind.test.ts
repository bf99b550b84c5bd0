import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, generateRsaKeyPair, toPem } from '../../src/pki/certificate.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { closedPort, startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const DAY = 86_400_000;

/** A CA, and a server certificate for 127.0.0.1 with the given weaknesses. */
function serverMaterial(options: { bits: number; digest: 'sha1' | 'sha256'; days: number }) {
  const now = Date.now();
  const caKeys = generateRsaKeyPair();
  const ca = createCertificate({ subject: { commonName: 'tls-kind test CA' }, publicKey: caKeys.publicKey, selfSignKey: caKeys.privateKey, notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY), ca: {} });
  const keys = generateRsaKeyPair(options.bits);
  const cert = createCertificate({
    subject: { commonName: '127.0.0.1' },
    publicKey: keys.publicKey,
    issuer: { certificate: ca, privateKey: caKeys.privateKey },
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + options.days * DAY),
    san: { ip: ['127.0.0.1'] },
    extKeyUsage: ['serverAuth'],
    digest: options.digest,
  });
  return { caPem: toPem(ca), key: keys.privateKeyPem, cert: toPem(cert) };
}

async function listen(options: { key: string; cert: string; minVersion: SecureVersion; ciphers?: string }): Promise<{ server: Server; url: string }> {
  const server = createServer(options, (_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('tls kind against servers with known flaws', () => {
  let dir: TempDir;
  let weak: { server: Server; url: string };
  let modern: { server: Server; url: string };
  let plain: TestServer;
  let results: Map<string, CheckResult>;
  let code: number | null;

  const scenario = `name: tls probes
checks:
  - { id: weak.server, kind: tls, severity: high }
  - { id: weak.other-host, kind: tls, severity: high, probes: [chain], host: api.example.test }
  - { id: weak.no-client-cert, kind: tls, severity: high, probes: [client-certificate], clientCertificate: none }
  - { id: weak.wants-client-cert, kind: tls, severity: high, probes: [client-certificate], clientCertificate: required }
`;

  async function runAgainst(name: string, url: string, ca: string | undefined, body = scenario): Promise<Map<string, CheckResult>> {
    const profile = dir.file(`${name}.yaml`, `target: ${url}\n${ca ? `tls: { ca: ${ca} }\n` : ''}`);
    const file = dir.file(`${name}-scenario.yaml`, body);
    const cli = await runCli(['run', file, '-p', profile, '-r', 'json', '-o', join(dir.path, name)]);
    code = cli.code;
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, name, 'gauntlet-report.json'), 'utf8'));
    return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
  }

  beforeAll(async () => {
    dir = tempDir();
    // A 1024-bit key, signed with SHA-1, expiring in 10 days. OpenSSL 3 only serves that at security level 0.
    const bad = serverMaterial({ bits: 1024, digest: 'sha1', days: 10 });
    dir.file('weak-ca.crt', bad.caPem);
    weak = await listen({ key: bad.key, cert: bad.cert, minVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const good = serverMaterial({ bits: 2048, digest: 'sha256', days: 90 });
    dir.file('modern-ca.crt', good.caPem);
    modern = await listen({ key: good.key, cert: good.cert, minVersion: 'TLSv1.3' });
    plain = await startTestServer((_req, res) => res.end('plain'));
    results = await runAgainst('weak', weak.url, 'weak-ca.crt');
  });
  afterAll(async () => {
    weak.server.close();
    modern.server.close();
    await plain.close();
    dir.remove();
  });

  it('fails the short expiry, the small key and the SHA-1 signature, and passes what is right', () => {
    const status = (id: string) => `${results.get(id)?.status}: ${results.get(id)?.message}`;
    expect(status('weak.server.chain')).toMatch(/^passed: .*valid for 127\.0\.0\.1/);
    expect(status('weak.server.expiry')).toMatch(/^failed: .*in (9|10) days: under the 30-day threshold/);
    expect(status('weak.server.key-size')).toBe('failed: the server key is RSA 1024 bits: under the minimum of 2048');
    expect(status('weak.server.signature')).toMatch(/^failed: .*CN=127\.0\.0\.1 is signed with sha1WithRSAEncryption/);
    expect(status('weak.server.legacy-versions')).toBe('passed: TLSv1 refused (alert protocol_version); TLSv1.1 refused (alert protocol_version)');
    expect(status('weak.server.modern-versions')).toBe('passed: TLSv1.2 offered; TLSv1.3 offered');
    expect(code).toBe(1);
  });

  it('fails the chain for a host the certificate does not name', () => {
    expect(results.get('weak.other-host.chain')).toMatchObject({ status: 'failed', message: expect.stringContaining('not valid for api.example.test') });
  });

  it('sees that a server without mTLS does not ask for a client certificate', () => {
    expect(results.get('weak.no-client-cert.client-certificate')).toMatchObject({ status: 'passed', message: expect.stringContaining('the server did not ask') });
    expect(results.get('weak.wants-client-cert.client-certificate')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^client certificate none, expected required/) });
  });

  it('fails the chain when the server is not trusted by the configured CA', async () => {
    const untrusted = await runAgainst('untrusted', weak.url, 'modern-ca.crt', 'name: u\nchecks:\n  - { id: u.tls, kind: tls, severity: high, probes: [chain] }\n');
    expect(untrusted.get('u.tls.chain')).toMatchObject({ status: 'failed', message: expect.stringContaining('does not verify against the configured CA') });
  });

  it('on a TLS 1.3-only server: refuses nothing it should not, and admits what it cannot tell', async () => {
    const only13 = await runAgainst('modern', modern.url, 'modern-ca.crt');
    const status = (id: string) => `${only13.get(id)?.status}: ${only13.get(id)?.message}`;
    expect(status('weak.server.modern-versions')).toBe('passed: TLSv1.2 refused (alert protocol_version); TLSv1.3 offered');
    expect(status('weak.server.legacy-versions')).toMatch(/^passed: TLSv1 refused/);
    for (const id of ['chain', 'expiry', 'key-size', 'signature']) expect(only13.get(`weak.server.${id}`)!.status, id).toBe('passed');
    // TLS 1.3 encrypts the CertificateRequest: "none" cannot be told from "optional", but "required" is refuted.
    expect(status('weak.no-client-cert.client-certificate')).toMatch(/^errored: cannot tell none from optional/);
    expect(status('weak.wants-client-cert.client-certificate')).toMatch(/^failed: a request without a client certificate was served/);
  });

  it('exits 3 when nothing listens: every probe errored on the transport', async () => {
    const port = await closedPort();
    const body = `name: gone\nchecks:\n  - { id: g.tls, kind: tls, severity: high, clientCertificate: required }\n  - { id: g.mtls, kind: mtls, severity: high, cases: [no-client-cert] }\n`;
    const gone = await runAgainst('gone', `https://127.0.0.1:${port}`, 'weak-ca.crt', body);
    expect(code).toBe(3);
    expect(gone.size).toBe(8);
    for (const result of gone.values()) expect(result, result.id).toMatchObject({ status: 'errored', transport: 'refused' });
  });

  // Before: `errored: the target ... is not https://`, which let the one thing that matters most pass a gate set to
  // fail on findings only. `curl -si http://127.0.0.1:$PORT/` answers "HTTP/1.1 200 OK ... plain": served in clear.
  it('fails a target served over plain HTTP, once, at its severity; the other probes say why they did not run', async () => {
    const profile = dir.file('plain.yaml', `target: ${plain.url}\nkeys:\n  valid: \${env:PLAIN_KEY}\ndefaults:\n  key: valid\nheaders:\n  x-tenant: acme\n`);
    const file = dir.file('plain-scenario.yaml', 'name: p\nchecks:\n  - { id: p.tls, kind: tls, severity: high }\n  - { id: p.handshake, kind: tls, severity: critical, probes: [client-certificate], clientCertificate: required }\n  - { id: p.mtls, kind: mtls, severity: critical, path: /api/data }\n');
    const before = plain.requests.length;
    const cli = await runCli(['run', file, '-p', profile, '-r', 'json', '-o', join(dir.path, 'plain')], { env: { PLAIN_KEY: 'gk_live_plainkey' } });
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'plain', 'gauntlet-report.json'), 'utf8'));
    const http = new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
    expect(cli.code).toBe(1);
    const finding = new RegExp(`^served over plain HTTP; credentials cross the network in clear \\(http://127\\.0\\.0\\.1:\\d+ answered HTTP 200\\)$`);
    expect(http.get('p.tls.chain')).toMatchObject({ status: 'failed', severity: 'high', message: expect.stringMatching(finding) });
    for (const probe of ['expiry', 'key-size', 'signature', 'legacy-versions', 'modern-versions']) {
      expect(http.get(`p.tls.${probe}`), probe).toMatchObject({ status: 'skipped', message: expect.stringMatching(/is plain HTTP, there is no TLS to probe \(the finding is p\.tls\.chain\)$/) });
    }
    expect(http.get('p.handshake.client-certificate')).toMatchObject({ status: 'failed', severity: 'critical', message: expect.stringMatching(finding) });
    // mTLS cannot be tested in clear: every case is there, errored, and none passed.
    const mtls = [...http.values()].filter((c) => c.id.startsWith('p.mtls.'));
    expect(mtls).toHaveLength(11);
    for (const c of mtls) expect(c, c.id).toMatchObject({ status: 'errored', message: expect.stringContaining('is not https://: mutual TLS cannot be tested') });
    // The proof request carried no credential of the profile: the tls check itself sends nothing secret in clear.
    const sent = plain.requests.slice(before);
    expect(sent.length).toBe(2);
    for (const request of sent) {
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(request.headers['x-tenant']).toBeUndefined();
    }
  });

  it('says that an http:// target redirecting to https:// has already sent the request in clear', async () => {
    const redirecting = await startTestServer((req, res) => res.writeHead(301, { location: `https://127.0.0.1:8443${req.url}` }).end());
    try {
      const http = await runAgainst('redirecting', redirecting.url, undefined, 'name: r\nchecks:\n  - { id: r.tls, kind: tls, severity: high, probes: [modern-versions] }\n');
      expect(http.get('r.tls.modern-versions')).toMatchObject({
        status: 'failed',
        message: expect.stringMatching(/answered HTTP 301\); it redirects to https:\/\/127\.0\.0\.1:8443\/, but a request and its credentials have already crossed in clear by then: make the profile's target https:\/\/$/),
      });
    } finally {
      await redirecting.close();
    }
  });

  it('errors every probe of an http:// target that does not answer: unreachable is not plain HTTP', async () => {
    const port = await closedPort();
    const gone = await runAgainst('plain-gone', `http://127.0.0.1:${port}`, undefined, 'name: g\nchecks:\n  - { id: g.tls, kind: tls, severity: high }\n');
    expect(code).toBe(3);
    expect(gone.size).toBe(6);
    // The run stops at the first refused connection and every case gives that reason; the check's own words stay as a note.
    for (const result of gone.values()) {
      expect(result, result.id).toMatchObject({ status: 'errored', transport: 'refused', message: expect.stringContaining('the target could not be reached (refused') });
      expect(result.evidence.notes?.join('\n')).toContain('is plain http:// and gave no HTTP answer');
    }
  });
});

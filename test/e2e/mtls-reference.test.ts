import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsOptionsFromPki } from '../../src/reference/mtls/material.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';

interface Answer {
  status?: number;
  contentType?: string;
  body: string;
  error?: string;
}

/** One HTTPS request with a given client identity (or none), its own connection, and a deadline. */
function get(url: string, pki: TestPki, identity: string | undefined, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, {
      ca: pki.read('ca.crt'),
      cert: identity ? pki.read(`client-${identity}.crt`) : undefined,
      key: identity ? pki.read(`client-${identity}.key`) : undefined,
      agent: false,
      headers,
      timeout: 5000,
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'], body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ body: '', error: error.code ?? error.message }));
    req.end();
  });
}

function checks(out: string): Map<string, CheckResult> {
  const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
}

const MATRIX = ['valid', 'valid-2', 'no-client-cert', 'untrusted', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only', 'wrong-key', 'not-allowed'];

describe('reference mTLS, required mode, with the profile gauntlet certs wrote', () => {
  let pki: TestPki;
  let server: ReferenceServer;
  beforeAll(async () => {
    pki = await testPki();
    server = await createReferenceServer({ mtls: mtlsOptionsFromPki(pki.dir.path, 'required') });
  });
  afterAll(async () => {
    await server.close();
    pki.dir.remove();
  });

  it('passes every mtls and tls case of the built-in scenarios, each rejection for its own reason', async () => {
    const out = join(pki.dir.path, 'required');
    const cli = await runCli(['run', join(ROOT, 'scenarios/mtls.yaml'), join(ROOT, 'scenarios/tls.yaml'), '-p', pki.path('profile.yaml'), '--target', server.url, '-r', 'json,html', '-o', out]);
    const results = checks(out);
    expect(cli.code, [...results.values()].map((c) => `${c.id}: ${c.status} ${c.message}`).join('\n')).toBe(0);
    expect([...results.keys()].filter((id) => id.startsWith('mtls.client-certs.'))).toEqual(MATRIX.map((m) => `mtls.client-certs.${m}`));
    for (const result of results.values()) expect(result.status, `${result.id}: ${result.message}`).toBe('passed');

    const how = (name: string) => results.get(`mtls.client-certs.${name}`)!.message;
    // Every case runs over TLS 1.2 and TLS 1.3. OpenSSL itself refuses a missing certificate (handshake_failure
    // over 1.2, certificate_required over 1.3) and a wrong key (decrypt_error: the CertificateVerify does not verify).
    expect(how('no-client-cert')).toBe('TLSv1.2: rejected at the TLS layer with alert handshake_failure; TLSv1.3: rejected at the TLS layer with alert certificate_required');
    expect(how('wrong-key')).toBe('TLSv1.2, TLSv1.3: rejected at the TLS layer with alert decrypt_error');
    expect(results.get('mtls.client-certs.no-client-cert')!.evidence.data!.versions).toEqual([
      { version: 'TLSv1.2', status: 'passed', message: 'rejected at the TLS layer with alert handshake_failure', refusal: { layer: 'tls', alert: 'handshake_failure', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' } },
      { version: 'TLSv1.3', status: 'passed', message: 'rejected at the TLS layer with alert certificate_required', refusal: { layer: 'tls', alert: 'certificate_required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } },
    ]);
    // A certificate that does not verify is refused by Node (rejectUnauthorized), which destroys the socket without
    // an alert: `openssl s_client -tls1_2 -cert client-expired.crt ...` (and -tls1_3) prints "unexpected eof while
    // reading". So no alert can be named, and the report says so (ECONNRESET or UND_ERR_SOCKET, by timing).
    const closed = String.raw`rejected at the TLS layer without an alert we could read \((ECONNRESET|UND_ERR_SOCKET|EPIPE)\)`;
    for (const name of ['untrusted', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only']) {
      expect(how(name), name).toMatch(new RegExp(`^(TLSv1\\.2: ${closed}; TLSv1\\.3: ${closed}|TLSv1\\.2, TLSv1\\.3: ${closed})$`));
    }
    expect(how('not-allowed')).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 403 "Client certificate not allowed"');
    expect(how('valid')).toBe('TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid');
    expect(how('valid-2')).toBe('TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid-2');
    expect(results.get('mtls.handshake.client-certificate')!.message).toMatch(/^client certificate required: the handshake without a certificate failed \(alert handshake_failure\); the server asked/);

    const reports = readFileSync(join(out, 'gauntlet-report.json'), 'utf8') + readFileSync(join(out, 'gauntlet-report.html'), 'utf8');
    for (const role of ['valid', 'wrong-key']) expect(reports).not.toContain(pki.read(`client-${role}.key`).split('\n')[2]);
  });

  it('skips, with the reason, every case whose identity the profile lacks', async () => {
    const profile = pki.dir.file('only-valid.yaml', `target: ${server.url}\ntls:\n  ca: ca.crt\n  identities:\n    mine: { cert: client-valid.crt, key: client-valid.key }\n`);
    const scenario = pki.dir.file('partial.yaml', 'name: partial\nchecks:\n  - { id: p.m, kind: mtls, severity: high, path: /api/data, identities: { valid: mine } }\n');
    const out = join(pki.dir.path, 'partial');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    expect(cli.code, cli.stdout).toBe(0);
    const results = checks(out);
    expect(results.get('p.m.valid')!.status).toBe('passed');
    expect(results.get('p.m.no-client-cert')!.status).toBe('passed');
    expect(results.get('p.m.valid-2')).toMatchObject({ status: 'skipped', message: expect.stringContaining("no identity 'valid-2' in the target profile") });
    expect([...results.values()].filter((r) => r.status === 'skipped')).toHaveLength(MATRIX.length - 2);
  });

  it('answers an unlisted but valid certificate with a 403 problem document', async () => {
    const answer = await get(server.url, pki, 'not-allowed', '/api/data');
    expect(answer.status).toBe(403);
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 403, title: 'Client certificate not allowed', detail: expect.stringContaining('CN=client-not-allowed') });
  });

  it('passes the verified identity to handlers and ignores identity headers sent by the client', async () => {
    const forged = { 'x-client-cn': 'admin', 'x-client-principal': 'root', 'x-client-verify': 'SUCCESS' };
    const valid = JSON.parse((await get(server.url, pki, 'valid', '/whoami', forged)).body);
    expect(valid).toMatchObject({
      principal: 'orders-service',
      via: 'client-certificate',
      clientCertificate: { commonName: 'client-valid', uris: ['spiffe://gauntlet.test/client/valid'], fingerprint256: pki.manifest.identities.valid.fingerprint256 },
      forwarded: { 'x-client-verify': 'SUCCESS', 'x-client-cn': 'client-valid', 'x-client-principal': 'orders-service', 'x-client-fingerprint': pki.manifest.identities.valid.fingerprint256 },
    });
    const second = JSON.parse((await get(server.url, pki, 'valid-2', '/whoami')).body);
    expect(second).toMatchObject({ principal: 'billing-service', clientCertificate: { commonName: 'client-valid-2' } });
  });
});

describe('reference mTLS, optional mode', () => {
  let pki: TestPki;
  let server: ReferenceServer;
  beforeAll(async () => {
    pki = await testPki();
    server = await createReferenceServer({ mtls: mtlsOptionsFromPki(pki.dir.path, 'optional') });
  });
  afterAll(async () => {
    await server.close();
    pki.dir.remove();
  });

  it('serves public routes without a certificate and refuses protected ones with a problem document', async () => {
    expect(await get(server.url, pki, undefined, '/health')).toMatchObject({ status: 200 });
    const refused = await get(server.url, pki, undefined, '/api/data');
    expect(refused).toMatchObject({ status: 403, contentType: expect.stringContaining('application/problem+json') });
    expect(JSON.parse(refused.body)).toMatchObject({ title: 'Client certificate required' });
    expect(JSON.parse((await get(server.url, pki, undefined, '/whoami')).body ?? '{}')).toMatchObject({ status: 403 });
  });

  it('answers a certificate that does not verify with 400, as nginx does, and serves a valid one', async () => {
    const expired = await get(server.url, pki, 'expired', '/api/data');
    expect(expired.status).toBe(400);
    expect(JSON.parse(expired.body)).toMatchObject({ title: 'Invalid client certificate', detail: expect.stringContaining('CERT_HAS_EXPIRED') });
    expect(await get(server.url, pki, 'valid', '/api/data')).toMatchObject({ status: 200 });
  });

  it('passes the whole client-certificate matrix, and the handshake probe sees an optional certificate', async () => {
    const out = join(pki.dir.path, 'optional');
    const cli = await runCli(['run', join(ROOT, 'scenarios/mtls.yaml'), '-p', pki.path('profile.yaml'), '--target', server.url, '-r', 'json', '-o', out]);
    const results = checks(out);
    for (const name of MATRIX) expect(results.get(`mtls.client-certs.${name}`)!.status, `${name}: ${results.get(`mtls.client-certs.${name}`)!.message}`).toBe('passed');
    expect(results.get('mtls.client-certs.no-client-cert')!.message).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 403 "Client certificate required"');
    expect(results.get('mtls.client-certs.revoked')!.message).toBe('TLSv1.2, TLSv1.3: rejected with HTTP 400 "Invalid client certificate"');
    // The scenario expects a certificate required at the handshake, which an optional server does not do.
    expect(results.get('mtls.handshake.client-certificate')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^client certificate optional, expected required/) });
    expect(cli.code).toBe(1);
  });
});

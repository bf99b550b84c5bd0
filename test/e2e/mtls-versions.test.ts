import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';

const ALLOWED = ['client-valid', 'client-valid-2'];
const PROTECTED = '{"data":[{"id":1,"value":"alpha"}],"count":1}';

/**
 * An HTTPS server that asks for a client certificate (CA chain, CRLs) and judges it in the application, but only
 * when the connection is TLS 1.3: over TLS 1.2 it serves whatever comes. Behaviour that differs by version is real
 * (Apache's per-location client authentication needs renegotiation on 1.2 and post-handshake auth on 1.3); a
 * matrix run over one version cannot see it.
 */
async function listen(pki: TestPki, options: { maxVersion?: SecureVersion; judgeOnlyOver13?: boolean }): Promise<{ server: Server; url: string }> {
  const server = createServer(
    {
      key: pki.read('server.key'),
      cert: pki.read('server.crt'),
      ca: pki.read('ca-chain.crt'),
      crl: [pki.read('ca.crl'), pki.read('intermediate-ca.crl')], // Node reads one CRL per string
      requestCert: true,
      rejectUnauthorized: !options.judgeOnlyOver13,
      minVersion: 'TLSv1.2',
      maxVersion: options.maxVersion,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const cn = socket.getPeerCertificate()?.subject?.CN;
      const judged = !options.judgeOnlyOver13 || socket.getProtocol() === 'TLSv1.3';
      res.setHeader('content-type', 'application/json');
      if (judged && (!socket.authorized || !ALLOWED.includes(String(cn)))) {
        res.statusCode = 403;
        return res.end('{"title":"client certificate refused"}');
      }
      res.end(req.url === '/whoami' ? JSON.stringify({ subject: `CN=${cn}` }) : PROTECTED);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the mtls matrix runs over TLS 1.2 and TLS 1.3', () => {
  let pki: TestPki;
  let onlyOver13: { server: Server; url: string };
  let only12: { server: Server; url: string };

  async function run(name: string, url: string, extra = ''): Promise<{ code: number | null; results: Map<string, CheckResult> }> {
    const scenario = pki.dir.file(`${name}.yaml`, `name: ${name}\nchecks:\n  - { id: m, kind: mtls, severity: critical, path: /api/data, whoami: /whoami${extra} }\n`);
    const out = join(pki.dir.path, name);
    const cli = await runCli(['run', scenario, '-p', pki.path('profile.yaml'), '--target', url, '-r', 'json', '-o', out]);
    const report: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { code: cli.code, results: new Map(report.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])) };
  }

  beforeAll(async () => {
    pki = await testPki();
    onlyOver13 = await listen(pki, { judgeOnlyOver13: true });
    only12 = await listen(pki, { maxVersion: 'TLSv1.2' });
  });
  afterAll(async () => {
    onlyOver13?.server.close();
    only12?.server.close();
    pki?.dir.remove();
  });

  // Before tlsVersions, every case went over the version the client and server agreed on (TLS 1.3 here), and this
  // server passed the whole matrix.
  it('finds a server that checks certificates over TLS 1.3 only, and keeps one result per case', async () => {
    const { code, results } = await run('only-over-13', onlyOver13.url);
    expect(code).toBe(1);
    expect([...results.keys()]).toEqual(['valid', 'valid-2', 'no-client-cert', 'untrusted', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only', 'wrong-key', 'not-allowed'].map((c) => `m.${c}`));
    const verdict = (name: string) => `${results.get(`m.${name}`)!.status}: ${results.get(`m.${name}`)!.message}`;
    for (const name of ['no-client-cert', 'untrusted', 'self-signed', 'expired', 'not-yet-valid', 'revoked', 'server-eku-only', 'not-allowed']) {
      expect(verdict(name), name).toBe('failed: TLSv1.2: served: HTTP 200 with the protected content; TLSv1.3: rejected with HTTP 403 "client certificate refused"');
    }
    // OpenSSL checks the CertificateVerify signature itself, whatever the application does.
    expect(verdict('wrong-key')).toBe('passed: TLSv1.2, TLSv1.3: rejected at the TLS layer with alert decrypt_error');
    expect(verdict('valid')).toBe('passed: TLSv1.2, TLSv1.3: served: HTTP 200; /whoami names CN=client-valid');

    const expired = results.get('m.expired')!;
    expect(expired.evidence.data!.versions).toEqual([
      { version: 'TLSv1.2', status: 'failed', message: 'served: HTTP 200 with the protected content' },
      { version: 'TLSv1.3', status: 'passed', message: 'rejected with HTTP 403 "client certificate refused"', refusal: { layer: 'http', status: 403, reason: 'client certificate refused' } },
    ]);
    // Each request went over the version it was labelled with.
    const served = results.get('m.valid')!.evidence.exchanges!;
    expect(served.map((e) => [e.label, e.tls?.protocol])).toEqual([
      ['valid TLSv1.2', 'TLSv1.2'],
      ['valid TLSv1.2 whoami', 'TLSv1.2'],
      ['valid TLSv1.3', 'TLSv1.3'],
      ['valid TLSv1.3 whoami', 'TLSv1.3'],
    ]);
  });

  it('runs only the versions named in tlsVersions', async () => {
    const { results } = await run('narrowed', onlyOver13.url, ', tlsVersions: [TLSv1.3]');
    for (const result of results.values()) expect(result.status, `${result.id}: ${result.message}`).toBe('passed');
    expect(results.get('m.expired')!.message).toBe('TLSv1.3: rejected with HTTP 403 "client certificate refused"');
    expect(results.get('m.expired')!.evidence.exchanges!.map((e) => e.label)).toEqual(['expired TLSv1.3']);
  });

  it('skips a version the server does not offer, names it, and never passes on it alone', async () => {
    const both = await run('only-12', only12.url);
    expect(both.code).toBe(0);
    const valid = both.results.get('m.valid')!;
    expect(valid).toMatchObject({ status: 'passed', message: 'TLSv1.2: served: HTTP 200; /whoami names CN=client-valid; TLSv1.3: not offered by the server (alert protocol_version)' });
    expect(valid.evidence.data!.versions).toContainEqual({ version: 'TLSv1.3', status: 'skipped', message: 'not offered by the server (alert protocol_version)' });
    expect(both.results.get('m.no-client-cert')!.message).toBe('TLSv1.2: rejected at the TLS layer with alert handshake_failure; TLSv1.3: not offered by the server (alert protocol_version)');

    // Narrowed to a version the server refuses, nothing can be observed: every case errored, none passed or vanished.
    const none = await run('only-12-asked-13', only12.url, ', tlsVersions: [TLSv1.3]');
    expect(none.code).toBe(1);
    expect(none.results.size).toBe(11);
    for (const result of none.results.values()) {
      expect(result, result.id).toMatchObject({ status: 'errored', message: 'no TLS version could be tested: TLSv1.3: not offered by the server (alert protocol_version)' });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { combineVersions, type VersionPart } from '../../src/checks/mtls/combine.js';
import { namesIdentity } from '../../src/checks/mtls/whoami.js';
import { DEFAULT_REJECT_STATUS, judgeRejection, refusalReason } from '../../src/checks/rejection.js';
import { evaluateClientCertificate, observeClientCertificateMode } from '../../src/checks/tls/evaluate-client-cert.js';
import type { SecureVersion } from 'node:tls';
import { evaluateLegacy, versionVerdict, type VersionResult } from '../../src/checks/tls/evaluate-versions.js';
import type { TlsProbeResult } from '../../src/engine/tls-probe.js';
import type { Exchange, TransportClass } from '../../src/results/model.js';
import { principalFor } from '../../src/reference/mtls/allow-list.js';

const request = { method: 'GET', url: 'https://127.0.0.1/api/data', headers: {} };
const timings = { startedAt: '2026-01-01T00:00:00Z', totalMs: 1 };
const answered = (status: number, body = ''): Exchange => ({
  request,
  timings,
  response: { status, statusText: '', headers: {}, body, bodyBytes: body.length, bodyTruncated: false },
});
const failed = (cls: TransportClass, code: string): Exchange => ({ request, timings, transport: { class: cls, code, message: code } });

const PROTECTED = '{"data":[1,2,3],"count":3}';

describe('judgeRejection (what counts as rejecting a client certificate)', () => {
  it.each([
    ['a refused handshake', failed('tls-rejected', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), '', 'rejected'],
    ['nginx 400 without a certificate', answered(400, 'No required SSL certificate was sent'), 'No required SSL certificate was sent', 'rejected'],
    ['an allow-list 403', answered(403, '{"title":"Client certificate not allowed"}'), '{"title":"Client certificate not allowed"}', 'rejected'],
    ['nginx 495', answered(495), '', 'rejected'],
    ['a 403 that still carries the protected body', answered(403, PROTECTED), PROTECTED, 'served'],
    ['a 200', answered(200, PROTECTED), PROTECTED, 'served'],
    ['a 200 with another body', answered(204), '', 'served'],
    ['a 404', answered(404), '', 'not-a-rejection'],
    ['a 500', answered(500), '', 'not-a-rejection'],
    ['a redirect to a login page', answered(302), '', 'not-a-rejection'],
    ['a timeout', failed('timeout', 'GAUNTLET_TIMEOUT'), '', 'could-not-tell'],
    ['our refusal of the server certificate', failed('tls-verify-failed', 'CERT_HAS_EXPIRED'), '', 'could-not-tell'],
  ])('%s', (_what, exchange, body, kind) => {
    expect(judgeRejection(exchange, body, DEFAULT_REJECT_STATUS, PROTECTED).kind).toBe(kind);
  });

  it('uses only the configured rejection statuses', () => {
    expect(judgeRejection(answered(401), '', [403], undefined).kind).toBe('not-a-rejection');
    expect(judgeRejection(answered(403), '', [403], undefined).kind).toBe('rejected');
  });
});

describe('what refused a request, named in the message and the evidence', () => {
  const alerted = (code: string, alert?: string): Exchange => ({ request, timings, transport: { class: 'tls-rejected', code, message: code, ...(alert ? { alert } : {}) } });
  it('names the alert the server sent, or says that none could be read', () => {
    expect(judgeRejection(alerted('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'certificate_expired'), '', DEFAULT_REJECT_STATUS, PROTECTED)).toEqual({
      kind: 'rejected',
      how: 'rejected at the TLS layer with alert certificate_expired',
      refusal: { layer: 'tls', alert: 'certificate_expired', code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED' },
    });
    expect(judgeRejection(alerted('ECONNRESET'), '', DEFAULT_REJECT_STATUS, PROTECTED)).toMatchObject({
      how: 'rejected at the TLS layer without an alert we could read (ECONNRESET)',
      refusal: { layer: 'tls', code: 'ECONNRESET' },
    });
  });

  it('gives the status of an HTTP refusal and the reason its page states', () => {
    const nginx = '<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>';
    expect(judgeRejection(answered(400, nginx), nginx, DEFAULT_REJECT_STATUS, PROTECTED)).toMatchObject({
      how: 'rejected with HTTP 400 "No required SSL certificate was sent"',
      refusal: { layer: 'http', status: 400, reason: 'No required SSL certificate was sent' },
    });
    expect(judgeRejection(answered(495), '', DEFAULT_REJECT_STATUS, PROTECTED)).toMatchObject({ how: 'rejected with HTTP 495', refusal: { layer: 'http', status: 495 } });
  });

  it.each([
    ['<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>', 'Forbidden'], // HAProxy's deny page
    ['{"title":"client certificate not allowed"}', 'client certificate not allowed'],
    ['{"status":403,"message":"no"}', 'no'],
    ['{"status":403}', undefined],
    ['plain text refusal', undefined],
    ['{not json', undefined],
    [`<title>${'x'.repeat(150)}</title>`, `${'x'.repeat(80)}…`],
  ])('refusalReason(%j) = %j', (body, reason) => {
    expect(refusalReason(body)).toBe(reason);
  });
});

describe('combineVersions (one result per case, over every TLS version)', () => {
  const part = (version: 'TLSv1.2' | 'TLSv1.3', status: VersionPart['status'], message: string, extra: Partial<VersionPart> = {}): VersionPart => ({ version, status, message, exchanges: [], ...extra });
  it('groups versions that saw the same thing', () => {
    const outcome = combineVersions([part('TLSv1.2', 'passed', 'rejected with HTTP 400'), part('TLSv1.3', 'passed', 'rejected with HTTP 400')]);
    expect(outcome).toMatchObject({ status: 'passed', message: 'TLSv1.2, TLSv1.3: rejected with HTTP 400' });
  });
  it('fails when any version failed, naming the failing one first', () => {
    const outcome = combineVersions([part('TLSv1.2', 'passed', 'rejected with HTTP 400'), part('TLSv1.3', 'failed', 'served: HTTP 200')]);
    expect(outcome).toMatchObject({ status: 'failed', message: 'TLSv1.3: served: HTTP 200; TLSv1.2: rejected with HTTP 400' });
  });
  it('is errored when a version could not be observed, never passed', () => {
    const outcome = combineVersions([part('TLSv1.2', 'passed', 'rejected'), part('TLSv1.3', 'errored', 'timeout: no answer', { transport: 'timeout' })]);
    expect(outcome).toMatchObject({ status: 'errored', transport: 'timeout' });
    expect(combineVersions([part('TLSv1.2', 'failed', 'served'), part('TLSv1.3', 'errored', 'timeout', { transport: 'timeout' })]).status).toBe('failed');
  });
  it('passes on the versions that ran when the server does not offer another, and errors when none ran', () => {
    const skipped = part('TLSv1.3', 'skipped', 'not offered by the server (alert protocol_version)');
    expect(combineVersions([part('TLSv1.2', 'passed', 'rejected with HTTP 400'), skipped])).toMatchObject({
      status: 'passed',
      message: 'TLSv1.2: rejected with HTTP 400; TLSv1.3: not offered by the server (alert protocol_version)',
    });
    expect(combineVersions([skipped])).toMatchObject({ status: 'errored', message: 'no TLS version could be tested: TLSv1.3: not offered by the server (alert protocol_version)' });
    expect(combineVersions([skipped]).transport).toBeUndefined();
  });
  it('keeps the per-version breakdown in the evidence', () => {
    const refusal = { layer: 'tls' as const, alert: 'unknown_ca', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' };
    const outcome = combineVersions([part('TLSv1.2', 'passed', 'rejected at the TLS layer with alert unknown_ca', { refusal }), part('TLSv1.3', 'failed', 'served: HTTP 200')]);
    expect(outcome.evidence.data!.versions).toEqual([
      { version: 'TLSv1.2', status: 'passed', message: 'rejected at the TLS layer with alert unknown_ca', refusal },
      { version: 'TLSv1.3', status: 'failed', message: 'served: HTTP 200' },
    ]);
  });
});

describe('namesIdentity (the whoami answer names the presented certificate)', () => {
  const valid = { commonName: 'client-valid', fingerprint256: 'AB:CD:EF:01' };
  it('finds the CN as a whole name, not inside a longer one', () => {
    expect(namesIdentity('{"commonName":"client-valid"}', undefined, valid).ok).toBe(true);
    expect(namesIdentity('{"subject":"CN=client-valid,O=gauntlet test PKI"}', undefined, valid).ok).toBe(true);
    expect(namesIdentity('{"commonName":"client-valid-2"}', undefined, valid).ok).toBe(false);
    expect(namesIdentity('{"commonName":"xclient-valid"}', undefined, valid).ok).toBe(false);
  });
  it('accepts the SHA-256 fingerprint with or without colons, in any case', () => {
    expect(namesIdentity('{"fp":"abcdef01"}', undefined, { fingerprint256: 'AB:CD:EF:01' }).ok).toBe(true);
    expect(namesIdentity('{"fp":"AB:CD:EF:01"}', undefined, { fingerprint256: 'AB:CD:EF:01' }).ok).toBe(true);
    expect(namesIdentity('{"fp":"abcdef02"}', undefined, { fingerprint256: 'AB:CD:EF:01' }).ok).toBe(false);
  });
  it('looks only at the JSON value when a path is given', () => {
    const body = '{"caller":"someone-else","echo":"client-valid"}';
    expect(namesIdentity(body, '$.caller', valid)).toEqual({ ok: false, shown: 'someone-else' });
    expect(namesIdentity(body, '$.echo', valid).ok).toBe(true);
    expect(namesIdentity('not json', '$.caller', valid).ok).toBe(false);
  });
  it('reads a 100 000-deep JSON value without running out of stack', () => {
    const deep = `{"who":${'{"a":'.repeat(100_000)}"client-valid"${'}'.repeat(100_000)}}`;
    const named = namesIdentity(deep, '$.who', valid);
    expect(named.ok).toBe(false);
    expect(named.shown).toMatch(/^\{"a":\{"a":.*…$/);
  });
});

type ProbeOverrides = Partial<Omit<TlsProbeResult, 'flight'>> & { flight?: Partial<TlsProbeResult['flight']> };
const probe = (over: ProbeOverrides): TlsProbeResult => ({
  clientHelloSent: true,
  handshakeCompleted: false,
  timedOut: false,
  durationMs: 1,
  ...over,
  flight: { certificateRequested: false, encrypted: false, notTls: false, bytes: 100, ...over.flight },
});

describe('observeClientCertificateMode', () => {
  const reject = DEFAULT_REJECT_STATUS;
  it.each([
    ['a TLS 1.2 handshake refused without a certificate', probe({ flight: { serverHelloVersion: 'TLSv1.2', certificateRequested: true, alert: { level: 'fatal', description: 40, name: 'handshake_failure' } }, error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: '' } }), 'required'],
    ['a TLS 1.3 connection closed before any response byte', probe({ flight: { serverHelloVersion: 'TLSv1.3' }, handshakeCompleted: true, closedBeforeResponse: true }), 'required'],
    ['nginx: asked, handshake done, 400 answer', probe({ flight: { serverHelloVersion: 'TLSv1.2', certificateRequested: true }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 400 Bad Request', status: 400 } }), 'required'],
    ['asked, and served', probe({ flight: { serverHelloVersion: 'TLSv1.2', certificateRequested: true }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 404 Not Found', status: 404 } }), 'optional'],
    ['not asked, served', probe({ flight: { serverHelloVersion: 'TLSv1.2' }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 200 OK', status: 200 } }), 'none'],
    ['not asked, 401 for another reason', probe({ flight: { serverHelloVersion: 'TLSv1.2' }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 401 Unauthorized', status: 401 } }), 'none'],
    ['TLS 1.3 only, served', probe({ flight: { serverHelloVersion: 'TLSv1.3' }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 200 OK', status: 200 } }), 'optional-or-none'],
    ['TLS 1.3 only, 401', probe({ flight: { serverHelloVersion: 'TLSv1.3' }, handshakeCompleted: true, response: { statusLine: 'HTTP/1.1 401 Unauthorized', status: 401 } }), undefined],
    ['nothing listening', probe({ clientHelloSent: false, flight: {}, error: { code: 'ECONNREFUSED', message: 'refused' } }), undefined],
    // A server that closes every connection after the handshake: over TLS 1.2 it visibly never asked.
    ['TLS 1.2, not asked, closed before any response byte', probe({ flight: { serverHelloVersion: 'TLSv1.2' }, handshakeCompleted: true, closedBeforeResponse: true }), undefined],
    ['TLS 1.2, asked, closed before any response byte', probe({ flight: { serverHelloVersion: 'TLSv1.2', certificateRequested: true }, handshakeCompleted: true, closedBeforeResponse: true }), 'required'],
    // Found by the fuzzer: a server that cuts its handshake short passed "client certificate required".
    ['TLS 1.2, the handshake cut before the server asked', probe({ flight: { serverHelloVersion: 'TLSv1.2' }, error: { code: 'ECONNRESET', message: 'Client network socket disconnected' } }), undefined],
    ['TLS 1.2, not asked, the handshake failed for another reason', probe({ flight: { serverHelloVersion: 'TLSv1.2', alert: { level: 'fatal', description: 40, name: 'handshake_failure' } }, error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: '' } }), undefined],
    ['TLS 1.3, the handshake cut after the hello', probe({ flight: { serverHelloVersion: 'TLSv1.3', encrypted: true }, error: { code: 'ECONNRESET', message: 'Client network socket disconnected' } }), undefined],
    ['TLS 1.3, the handshake ended with certificate_required', probe({ flight: { serverHelloVersion: 'TLSv1.3', encrypted: true }, error: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: '' } }), 'required'],
  ])('%s', (_what, result, mode) => {
    expect(observeClientCertificateMode(result, reject).mode).toBe(mode);
  });

  it('names the alert of a TLS 1.3 refusal, read after the handshake, and of a TLS 1.2 one, read off the wire', () => {
    const tls13 = probe({
      flight: { serverHelloVersion: 'TLSv1.3', encrypted: true },
      handshakeCompleted: true,
      closedBeforeResponse: true,
      error: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'ssl3_read_bytes:tlsv13 alert certificate required:rec_layer_s3.c:1601:SSL alert number 116' },
    });
    expect(observeClientCertificateMode(tls13, reject)).toMatchObject({ mode: 'required', detail: expect.stringContaining('closed before any response byte (alert certificate_required)') });
    const tls12 = probe({ flight: { serverHelloVersion: 'TLSv1.2', certificateRequested: true, alert: { level: 'fatal', description: 40, name: 'handshake_failure' } }, error: { code: 'ECONNRESET', message: '' } });
    expect(observeClientCertificateMode(tls12, reject).detail).toContain('failed (alert handshake_failure)');
  });

  it('says why a TLS 1.2 handshake that ended before the server asked proves nothing about certificates', () => {
    const cut = probe({ flight: { serverHelloVersion: 'TLSv1.2' }, error: { code: 'ECONNRESET', message: 'Client network socket disconnected' } });
    expect(observeClientCertificateMode(cut, reject).detail).toBe('the handshake without a certificate failed (ECONNRESET) before the server asked for a certificate: something other than a missing certificate ended it');
    expect(evaluateClientCertificate('required', observeClientCertificateMode(cut, reject)).status).toBe('errored');
  });

  it('fails an expectation the observation contradicts, and errors when it cannot tell', () => {
    expect(evaluateClientCertificate('required', { mode: 'optional', detail: '' }).status).toBe('failed');
    expect(evaluateClientCertificate('required', { mode: 'optional-or-none', detail: '' }).status).toBe('failed');
    expect(evaluateClientCertificate('optional', { mode: 'optional-or-none', detail: '' }).status).toBe('errored');
    expect(evaluateClientCertificate('none', { mode: 'none', detail: '' }).status).toBe('passed');
    expect(evaluateClientCertificate('required', { detail: 'no handshake' }).status).toBe('errored');
  });
});

describe('versionVerdict', () => {
  it('tells an offered, a refused and an untestable version apart', () => {
    expect(versionVerdict('TLSv1', probe({ flight: { serverHelloVersion: 'TLSv1' } })).verdict).toBe('offered');
    expect(versionVerdict('TLSv1', probe({ flight: { alert: { level: 'fatal', description: 70, name: 'protocol_version' } } })).verdict).toBe('refused');
    expect(versionVerdict('TLSv1.1', probe({ flight: { serverHelloVersion: 'TLSv1.2' } })).verdict).toBe('refused');
    expect(versionVerdict('TLSv1', probe({ clientHelloSent: false, flight: {}, error: { code: 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', message: '' } })).verdict).toBe('untestable');
    expect(versionVerdict('TLSv1', probe({ clientHelloSent: false, flight: {}, error: { code: 'ECONNREFUSED', message: '' } })).verdict).toBe('unreachable');
  });

  it('never passes the legacy case on a version it could not test', () => {
    const verdicts = new Map([
      ['TLSv1', { verdict: 'untestable' as const, detail: 'TLSv1 cannot be offered' }],
      ['TLSv1.1', { verdict: 'refused' as const, detail: 'TLSv1.1 refused' }],
    ] as const);
    expect(evaluateLegacy(verdicts as never).status).toBe('errored');
  });

  it('reads bytes that are not TLS as no answer, not as a refusal', () => {
    const garbage = probe({ flight: { notTls: true }, error: { code: 'ERR_SSL_UNEXPECTED_MESSAGE', message: '' } });
    expect(versionVerdict('TLSv1', garbage).verdict).toBe('unreachable');
  });

  it('passes the legacy refusals only when some version was offered (the control)', () => {
    const refused = (v: SecureVersion): [SecureVersion, VersionResult] => [v, { verdict: 'refused', detail: `${v} refused (connection closed)` }];
    const none = new Map([refused('TLSv1'), refused('TLSv1.1'), refused('TLSv1.2'), refused('TLSv1.3')]);
    expect(evaluateLegacy(none)).toMatchObject({ status: 'errored', message: expect.stringMatching(/no version was offered at all/) });
    const modern = new Map<SecureVersion, VersionResult>([refused('TLSv1'), refused('TLSv1.1'), ['TLSv1.2', { verdict: 'offered', detail: 'TLSv1.2 offered' }]]);
    expect(evaluateLegacy(modern)).toMatchObject({ status: 'passed' });
  });
});

describe('the reference allow-list', () => {
  const allow = [
    { principal: 'orders-service', commonName: 'client-valid' },
    { principal: 'billing-service', uri: 'spiffe://gauntlet.test/client/valid-2' },
  ];
  const cert = (commonName: string, uris: string[] = []) => ({ commonName, uris, subject: '', issuer: '', fingerprint256: '', serialNumber: '' });
  it('maps a CN or a SAN URI to its principal, and nothing else', () => {
    expect(principalFor(cert('client-valid'), allow)).toBe('orders-service');
    expect(principalFor(cert('client-valid-2', ['spiffe://gauntlet.test/client/valid-2']), allow)).toBe('billing-service');
    expect(principalFor(cert('client-not-allowed', ['spiffe://gauntlet.test/client/not-allowed']), allow)).toBeUndefined();
    expect(principalFor(cert('Client-Valid'), allow)).toBeUndefined();
  });
});

import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyTransportError, RequestTimeoutError, UNKNOWN_ISSUER_HINT } from '../../src/engine/classify.js';
import { keepFirstSocketError, receivedAlert } from '../../src/engine/tls-alerts.js';

const err = (code: string, message = code) => Object.assign(new Error(message), { code });

/** What Node's TLS socket reports on receiving an alert: OpenSSL's reason as the code, its number in the message. */
const alertError = (code: string, reason: string, number: number) =>
  err(code, `80CC02285F7F0000:error:0A000415:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number ${number}\n`);

describe('classifyTransportError', () => {
  const plain = { tls: false, responseStarted: false };
  const tls = { tls: true, responseStarted: false };
  it.each([
    [err('ECONNREFUSED'), plain, 'refused'],
    [err('ENOTFOUND'), plain, 'dns'],
    [new RequestTimeoutError(100), plain, 'timeout'],
    [err('UND_ERR_HEADERS_TIMEOUT'), plain, 'timeout'],
    [err('ECONNRESET'), plain, 'reset'],
    [err('UND_ERR_SOCKET', 'other side closed'), tls, 'tls-rejected'],
    [err('UND_ERR_SOCKET', 'other side closed'), { tls: true, responseStarted: true }, 'reset'],
    [err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), tls, 'tls-rejected'],
    [err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), tls, 'tls-rejected'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), tls, 'tls-verify-failed'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), tls, 'tls-verify-failed'],
    [err('HPE_INVALID_CONSTANT'), plain, 'protocol-error'],
    [err('UND_ERR_HEADERS_OVERFLOW'), plain, 'protocol-error'],
    [err('UND_ERR_SOCKET', 'bad response'), plain, 'protocol-error'],
    [err('UND_ERR_SOCKET', 'bad response'), tls, 'protocol-error'],
    [err('UND_ERR_SOCKET', 'bad upgrade'), plain, 'protocol-error'],
  ])('%s -> %s', (error, context, expected) => {
    const result = classifyTransportError(error, context);
    expect(result.class).toBe(expected);
    expect(result.code).toBeTruthy();
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'])(
    'a certificate from an unknown issuer (%s) hints at tls.ca and --cacert',
    (code) => {
      const result = classifyTransportError(err(code, 'unable to verify the first certificate'), tls);
      expect(result.class).toBe('tls-verify-failed');
      expect(result.message).toBe(`unable to verify the first certificate (${UNKNOWN_ISSUER_HINT})`);
      expect(UNKNOWN_ISSUER_HINT).toContain('set tls.ca in the profile or pass --cacert <file>');
    },
  );

  it('other verification failures (expired, wrong host) carry no such hint: another CA would not help', () => {
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) expect(classifyTransportError(err(code, 'x'), tls).message).toBe('x');
  });

  // undici's parser errors have no code: it looks the parser's error number up in a table keyed by name. Every
  // malformed response the fuzzer sent was reported as "(UNKNOWN)", with UNKNOWN as its code in every report.
  it("reports undici's parser error by its name, as a protocol error, not as UNKNOWN", async () => {
    const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nx\u0000nul: 1\r\ncontent-length: 2\r\n\r\n{}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(classifyTransportError(error, plain)).toMatchObject({ class: 'protocol-error', code: 'HTTPParserError', message: expect.stringMatching(/Invalid header token/) });
    } finally {
      server.close();
    }
  });

  // undici fails a request with its own AssertionError when a server answers 101 to a request that asked for no
  // upgrade: found by the fuzzer, reported in every report as Node's multi-line assertion text.
  it('says in one line which assumption of undici a bare 101 Switching Protocols broke', async () => {
    const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(classifyTransportError(error, plain)).toEqual({
        class: 'protocol-error',
        code: 'ERR_ASSERTION',
        message: 'the HTTP client refused the answer on its own assertion assert(upgrade): a 101 Switching Protocols answer to a request that asked for no upgrade',
      });
    } finally {
      server.close();
    }
  });

  it('names the alert the server sent, from the code or from the alert number in the message', () => {
    const tls = { tls: true, responseStarted: false };
    expect(classifyTransportError(alertError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'sslv3 alert certificate expired', 45), tls)).toMatchObject({
      class: 'tls-rejected',
      code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
      alert: 'certificate_expired',
    });
    expect(classifyTransportError(err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), tls).alert).toBe('certificate_required');
    expect(classifyTransportError(err('ECONNRESET'), tls).alert).toBeUndefined();
    expect(classifyTransportError(err('ERR_SSL_WRONG_VERSION_NUMBER'), tls).alert).toBeUndefined();
  });

  // undici over TLS 1.3: the alert arrives after the handshake, then the end of the stream, and the request fails
  // with "other side closed". keepFirstSocketError hangs the alert on it; the alert is what must be reported.
  it('reports the alert read before undici said "other side closed" (TLS 1.3: the alert arrives on the first read)', () => {
    const socket = new EventEmitter();
    keepFirstSocketError(socket);
    const seen: Error[] = [];
    socket.on('error', (e: Error) => seen.push(e)); // undici's own listener, attached after ours
    socket.emit('error', alertError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED', 'sslv3 alert certificate revoked', 44));
    const closed = err('UND_ERR_SOCKET', 'other side closed');
    socket.emit('error', closed);
    expect(seen[1]).toBe(closed);
    expect(classifyTransportError(closed, { tls: true, responseStarted: false })).toMatchObject({
      class: 'tls-rejected',
      code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
      alert: 'certificate_revoked',
      message: expect.stringMatching(/^other side closed: .*alert certificate revoked/),
    });
  });

  it('keeps a close without an alert what it was', () => {
    const socket = new EventEmitter();
    keepFirstSocketError(socket);
    socket.on('error', () => undefined);
    socket.emit('error', err('ECONNRESET'));
    const closed = err('UND_ERR_SOCKET', 'other side closed');
    socket.emit('error', closed);
    expect(classifyTransportError(closed, { tls: true, responseStarted: false })).toMatchObject({ class: 'tls-rejected', code: 'UND_ERR_SOCKET' });
    expect(classifyTransportError(closed, { tls: true, responseStarted: false }).alert).toBeUndefined();
  });
});

describe('receivedAlert', () => {
  it.each([
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', '', 'certificate_expired', 45],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED', '', 'certificate_revoked', 44],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', '', 'unknown_ca', 48],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', '', 'certificate_required', 116],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', '', 'handshake_failure', 40],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', '', 'bad_certificate', 42],
    ['ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE', '', 'unsupported_certificate', 43],
    ['ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR', '', 'decrypt_error', 51],
    ['ERR_SSL_TLSV1_ALERT_ACCESS_DENIED', '', 'access_denied', 49],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', '', 'protocol_version', 70],
    ['ERR_SSL_TLSV1_ALERT_USER_CANCELLED', '', 'user_canceled', 90],
    ['ERR_SSL_TLSV1_UNRECOGNIZED_NAME', '', 'unrecognized_name', 112],
    // The number in the message wins over the code: it is the byte the server sent.
    ['UNKNOWN', 'ssl3_read_bytes:sslv3 alert certificate unknown:rec_layer_s3.c:1601:SSL alert number 46', 'certificate_unknown', 46],
  ])('%s %s -> %s', (code, message, name, number) => {
    expect(receivedAlert(code, message)).toEqual({ name, description: number });
  });

  it('is undefined for errors that are not an alert from the peer', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_TLSV1_ALERT_NOT_A_REAL_ONE']) {
      expect(receivedAlert(code, 'something failed'), code).toBeUndefined();
    }
  });
});

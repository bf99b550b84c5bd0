import { describe, expect, it } from 'vitest';
import { classifyTransportError, RequestTimeoutError } from '../../src/engine/classify.js';

const err = (code: string, message = code) => Object.assign(new Error(message), { code });

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
  ])('%s -> %s', (error, context, expected) => {
    const result = classifyTransportError(error, context);
    expect(result.class).toBe(expected);
    expect(result.code).toBeTruthy();
  });
});

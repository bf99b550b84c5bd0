import type { EventEmitter } from 'node:events';

/** TLS alert descriptions by number (IANA TLS Alerts registry), as the RFCs spell them. */
export const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const NUMBER_BY_NAME = new Map(Object.entries(ALERT_NAMES).map(([number, name]) => [name, Number(number)]));

export function alertName(description: number): string {
  return ALERT_NAMES[description] ?? `alert ${description}`;
}

export interface ReceivedAlert {
  name: string;
  description?: number;
}

/**
 * The alert a peer sent, from what OpenSSL (through Node) reported on receiving it: the message's "SSL alert number
 * 45", else the error code (ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED,
 * ERR_SSL_TLSV1_UNRECOGNIZED_NAME). Undefined for errors that are not a received alert (a local failure, a close).
 */
export function receivedAlert(code: string, message = ''): ReceivedAlert | undefined {
  const number = /SSL alert number (\d{1,3})\b/.exec(message)?.[1];
  if (number !== undefined) return { name: alertName(Number(number)), description: Number(number) };
  const spelled = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_(?:ALERT_)?([A-Z_]+)$/.exec(code)?.[1];
  if (spelled === undefined) return undefined;
  // OpenSSL writes "user cancelled"; the RFC's name has one l.
  const name = spelled.toLowerCase().replace(/^user_cancelled$/, 'user_canceled');
  const description = NUMBER_BY_NAME.get(name);
  return description === undefined ? undefined : { name, description };
}

/**
 * undici loses a TLS alert that arrives after the handshake, which is how TLS 1.3 refuses a client certificate:
 * the socket reports the alert, then its end, and undici replaces the stored alert error with "other side closed"
 * (UND_ERR_SOCKET). This keeps a connection's first error and hangs it on later ones as their cause, so the
 * classification can still name the alert. Registered before undici's own listeners, it runs first.
 */
export function keepFirstSocketError(socket: EventEmitter): void {
  let first: Error | undefined;
  socket.prependListener('error', (error: Error) => {
    if (first === undefined) {
      first = error;
      return;
    }
    const later = error as Error & { cause?: unknown };
    if (later !== first && later.cause === undefined) later.cause = first;
  });
}

/**
 * Reads the server's side of a TLS handshake off the wire, as far as it travels in clear: the version the
 * ServerHello picked, whether a CertificateRequest came (TLS 1.2 and older; TLS 1.3 encrypts it), and an alert.
 * Node's TLS client reports none of these directly, and a refused version must be told apart from a client that
 * could not even offer it.
 */

import { alertName } from './tls-alerts.js';

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

const VERSIONS: Record<number, TlsVersionName> = { 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

const RECORD = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
const HANDSHAKE = { serverHello: 2, certificateRequest: 13 } as const;
const EXTENSION_SUPPORTED_VERSIONS = 43;
/** A record may carry at most 2^14 bytes (+2048 of expansion); anything longer is not TLS. */
const MAX_RECORD = 18_432;
/** Handshake bytes kept at most while waiting for a message to complete (a long certificate chain fits). */
const MAX_HANDSHAKE_BUFFER = 256 * 1024;

export interface TlsAlert {
  level: 'warning' | 'fatal' | string;
  description: number;
  name: string;
}

export interface ServerFlight {
  /** The version the server chose in its ServerHello (supported_versions for TLS 1.3). */
  serverHelloVersion?: TlsVersionName | string;
  /** A CertificateRequest was seen in clear. Only observable up to TLS 1.2. */
  certificateRequested: boolean;
  /** A plaintext alert the server sent (encrypted ones are reported by the TLS library). */
  alert?: TlsAlert;
  /** From here on the handshake is encrypted (TLS 1.3 after its ServerHello, TLS 1.2 after ChangeCipherSpec). */
  encrypted: boolean;
  /** The bytes were not TLS records at all (e.g. a plain HTTP server answering). */
  notTls: boolean;
  bytes: number;
}

export class ServerFlightParser {
  readonly flight: ServerFlight = { certificateRequested: false, encrypted: false, notTls: false, bytes: 0 };
  private records = Buffer.alloc(0);
  private handshake = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.flight.bytes += chunk.length;
    if (this.flight.notTls) return;
    this.records = Buffer.concat([this.records, chunk]);
    while (this.records.length >= 5) {
      const type = this.records[0]!;
      const length = this.records.readUInt16BE(3);
      if (type < RECORD.changeCipherSpec || type > RECORD.applicationData || this.records[1] !== 3 || length > MAX_RECORD) {
        this.flight.notTls = true;
        return;
      }
      if (this.records.length < 5 + length) return;
      const payload = this.records.subarray(5, 5 + length);
      this.records = this.records.subarray(5 + length);
      this.record(type, payload);
    }
  }

  private record(type: number, payload: Buffer): void {
    if (type === RECORD.changeCipherSpec || type === RECORD.applicationData) {
      this.flight.encrypted = true;
      return;
    }
    if (this.flight.encrypted) return;
    if (type === RECORD.alert && payload.length >= 2) {
      const level = payload[0] === 1 ? 'warning' : payload[0] === 2 ? 'fatal' : String(payload[0]);
      this.flight.alert ??= { level, description: payload[1]!, name: alertName(payload[1]!) };
      return;
    }
    if (type === RECORD.handshake) {
      this.handshake = Buffer.concat([this.handshake, payload]);
      this.messages();
      // A message announcing more than any real handshake needs: stop reading rather than buffer without end.
      if (this.handshake.length > MAX_HANDSHAKE_BUFFER) this.flight.notTls = true;
    }
  }

  private messages(): void {
    while (this.handshake.length >= 4 && !this.flight.encrypted) {
      const type = this.handshake[0]!;
      const length = this.handshake.readUIntBE(1, 3);
      if (this.handshake.length < 4 + length) return;
      const body = this.handshake.subarray(4, 4 + length);
      this.handshake = this.handshake.subarray(4 + length);
      if (type === HANDSHAKE.serverHello) {
        const version = serverHelloVersion(body);
        this.flight.serverHelloVersion ??= version;
        if (version === 'TLSv1.3') this.flight.encrypted = true;
      } else if (type === HANDSHAKE.certificateRequest) {
        this.flight.certificateRequested = true;
      }
    }
  }
}

/** legacy_version, or the supported_versions extension when present (TLS 1.3 keeps legacy_version at 1.2). */
export function serverHelloVersion(body: Buffer): string | undefined {
  if (body.length < 2) return undefined;
  let version = body.readUInt16BE(0);
  let at = 2 + 32; // random
  if (body.length < at + 1) return versionName(version);
  at += 1 + body[at]!; // session id
  at += 2 + 1; // cipher suite, compression method
  if (body.length >= at + 2) {
    const end = Math.min(body.length, at + 2 + body.readUInt16BE(at));
    at += 2;
    while (at + 4 <= end) {
      const extension = body.readUInt16BE(at);
      const size = body.readUInt16BE(at + 2);
      if (extension === EXTENSION_SUPPORTED_VERSIONS && size === 2 && at + 6 <= end) version = body.readUInt16BE(at + 4);
      at += 4 + size;
    }
  }
  return versionName(version);
}

function versionName(code: number): string {
  return VERSIONS[code] ?? `0x${code.toString(16).padStart(4, '0')}`;
}

import { describe, expect, it } from 'vitest';
import { ServerFlightParser } from '../../src/engine/tls-wire.js';

const record = (type: number, payload: Buffer, version = 0x0303) => {
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeUInt16BE(version, 1);
  header.writeUInt16BE(payload.length, 3);
  return Buffer.concat([header, payload]);
};

const handshake = (type: number, body: Buffer) => {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([header, body]);
};

/** A ServerHello body: legacy version, random, session id, cipher, compression, optional extensions. */
function serverHello(legacyVersion: number, supportedVersion?: number): Buffer {
  const fixed = Buffer.alloc(2 + 32 + 1 + 32 + 2 + 1);
  fixed.writeUInt16BE(legacyVersion, 0);
  fixed[34] = 32; // session id length
  fixed.writeUInt16BE(0x1301, 67);
  if (supportedVersion === undefined) return fixed;
  const keyShare = Buffer.from([0x00, 0x33, 0x00, 0x02, 0xaa, 0xbb]); // an unrelated extension first
  const versions = Buffer.alloc(6);
  versions.writeUInt16BE(43, 0);
  versions.writeUInt16BE(2, 2);
  versions.writeUInt16BE(supportedVersion, 4);
  const extensions = Buffer.concat([keyShare, versions]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(extensions.length);
  return Buffer.concat([fixed, length, extensions]);
}

const tls12Flight = () =>
  Buffer.concat([
    handshake(2, serverHello(0x0303)),
    handshake(11, Buffer.alloc(300, 7)),
    handshake(13, Buffer.from([1, 1, 0, 0])),
    handshake(14, Buffer.alloc(0)),
  ]);

describe('ServerFlightParser', () => {
  it('reads the TLS 1.2 version and a clear-text CertificateRequest from one record', () => {
    const parser = new ServerFlightParser();
    parser.feed(record(22, tls12Flight()));
    expect(parser.flight).toMatchObject({ serverHelloVersion: 'TLSv1.2', certificateRequested: true, encrypted: false, notTls: false });
  });

  it('reassembles handshake messages split across records and across reads, byte by byte', () => {
    const flight = tls12Flight();
    const records = Buffer.concat([record(22, flight.subarray(0, 50)), record(22, flight.subarray(50, 200)), record(22, flight.subarray(200))]);
    const parser = new ServerFlightParser();
    for (const byte of records) {
      expect(parser.flight.certificateRequested).toBe(false);
      parser.feed(Buffer.from([byte]));
    }
    expect(parser.flight).toMatchObject({ serverHelloVersion: 'TLSv1.2', certificateRequested: true, bytes: records.length });
  });

  it('says no request when the TLS 1.2 server sends none, and stops reading after ChangeCipherSpec', () => {
    const parser = new ServerFlightParser();
    parser.feed(record(22, Buffer.concat([handshake(2, serverHello(0x0303)), handshake(14, Buffer.alloc(0))])));
    parser.feed(record(20, Buffer.from([1])));
    parser.feed(record(22, handshake(13, Buffer.from([1, 1, 0, 0])))); // encrypted Finished that happens to look like one
    expect(parser.flight).toMatchObject({ serverHelloVersion: 'TLSv1.2', certificateRequested: false, encrypted: true });
  });

  it('takes the TLS 1.3 version from supported_versions and knows the rest is encrypted', () => {
    const parser = new ServerFlightParser();
    parser.feed(record(22, handshake(2, serverHello(0x0303, 0x0304))));
    parser.feed(record(20, Buffer.from([1])));
    parser.feed(record(23, handshake(13, Buffer.from([0, 0, 0]))));
    expect(parser.flight).toMatchObject({ serverHelloVersion: 'TLSv1.3', certificateRequested: false, encrypted: true });
  });

  it('reads a TLS 1.0 ServerHello and a plaintext alert', () => {
    const hello = new ServerFlightParser();
    hello.feed(record(22, handshake(2, serverHello(0x0301)), 0x0301));
    expect(hello.flight.serverHelloVersion).toBe('TLSv1');
    const refused = new ServerFlightParser();
    refused.feed(record(21, Buffer.from([2, 70]), 0x0301));
    expect(refused.flight.alert).toEqual({ level: 'fatal', description: 70, name: 'protocol_version' });
    expect(refused.flight.serverHelloVersion).toBeUndefined();
  });

  it('stops buffering a handshake message that never ends', () => {
    const parser = new ServerFlightParser();
    const header = Buffer.from([2, 0xff, 0xff, 0xff]); // a ServerHello announcing 16 MiB
    parser.feed(record(22, header));
    for (let i = 0; i < 20 && !parser.flight.notTls; i++) parser.feed(record(22, Buffer.alloc(16_384)));
    expect(parser.flight.notTls).toBe(true);
    expect(parser.flight.bytes).toBeLessThan(400 * 1024);
  });

  it('flags bytes that are not TLS (a plain HTTP server) instead of misreading them', () => {
    const parser = new ServerFlightParser();
    parser.feed(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(parser.flight).toMatchObject({ notTls: true, certificateRequested: false });
    expect(parser.flight.serverHelloVersion).toBeUndefined();
  });
});

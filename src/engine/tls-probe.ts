import { connect as netConnect, isIP } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type PeerCertificate, type SecureVersion, type TLSSocket } from 'node:tls';
import { ServerFlightParser, type ServerFlight } from './tls-wire.js';
import { stopReason } from './stop-reason.js';
import { clip } from '../util/clip.js';

/** What OpenSSL 3 needs to even offer TLS 1.0/1.1, SHA-1 or short keys: probing must not refuse what it measures. */
export const PERMISSIVE_CIPHERS = 'DEFAULT:@SECLEVEL=0';

export interface TlsProbeOptions {
  host: string;
  port: number;
  /** SNI; defaults to the host when it is a name (never sent for an IP address, as RFC 6066 says). */
  servername?: string;
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  /** One deadline for connect, handshake and (with httpRequest) the first response bytes. */
  timeoutMs: number;
  /** Stop as soon as the server's hello (or a refusal) arrived: enough to learn which version it picks. */
  untilServerHello?: boolean;
  /** After the handshake, send these bytes (an HTTP/1.1 request) and wait for the response's first line. */
  httpRequest?: string;
  signal?: AbortSignal;
}

export interface TlsProbeResult {
  /** The client wrote a ClientHello (false: it could not offer what was asked, e.g. a version it lacks). */
  clientHelloSent: boolean;
  flight: ServerFlight;
  handshakeCompleted: boolean;
  protocol?: string;
  cipher?: string;
  /** The server's chain verified against `ca` (hostname not included: see checkServerIdentity). */
  authorized?: boolean;
  authorizationError?: string;
  /** The server's certificate chain, leaf first, as DER, with Node's view of the leaf. */
  peerChain?: Buffer[];
  peer?: PeerCertificate;
  error?: { code: string; message: string };
  timedOut: boolean;
  /** With httpRequest: the response's status line, or that the connection closed before any response byte. */
  response?: { statusLine: string; status?: number };
  closedBeforeResponse?: boolean;
  durationMs: number;
}

const MAX_RESPONSE_HEAD = 4096;

/**
 * One TLS connection with node:tls, the server's bytes read on the way in (ServerFlightParser) and a single
 * deadline. Never throws; never touches the TLS socket after it closed (Node crashes on getProtocol() then).
 */
export function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  const started = performance.now();
  const parser = new ServerFlightParser();
  let clientBytes = 0;
  let connected = false;
  const raw = netConnect({ host: options.host, port: options.port });
  // A stream between node:tls and the socket, so the server's handshake bytes can be read as they pass.
  const tap = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      clientBytes += chunk.length;
      raw.write(chunk, callback);
    },
    read() {},
    final(callback) {
      raw.end();
      callback();
    },
    destroy(error, callback) {
      raw.destroy();
      callback(error);
    },
  });

  return new Promise((resolve) => {
    const result: TlsProbeResult = { clientHelloSent: false, flight: parser.flight, handshakeCompleted: false, timedOut: false, durationMs: 0 };
    let socket: TLSSocket | undefined;
    let settled = false;
    let head = '';

    const finish = (error?: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error && !result.error) result.error = { code: error.code ?? 'UNKNOWN', message: error.message };
      if (result.handshakeCompleted && options.httpRequest !== undefined && !result.response && !result.timedOut) result.closedBeforeResponse = true;
      result.clientHelloSent = connected && clientBytes > 0;
      result.durationMs = performance.now() - started;
      socket?.destroy();
      tap.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      finish(Object.assign(new Error(`no answer within ${options.timeoutMs}ms`), { code: 'GAUNTLET_TIMEOUT' }));
    }, options.timeoutMs);
    const onAbort = () => finish(Object.assign(new Error(`probe aborted: ${stopReason(options.signal)}`), { code: 'GAUNTLET_ABORTED' }));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    raw.on('connect', () => (connected = true));
    raw.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      tap.push(chunk);
      if (options.untilServerHello && (parser.flight.serverHelloVersion || parser.flight.alert || parser.flight.notTls)) finish();
    });
    raw.on('end', () => tap.push(null));
    raw.on('error', (error) => finish(error));
    // The TLS socket closes after it has read what arrived (an alert, say); give it a moment to report first.
    raw.on('close', () => setTimeout(() => finish(), 100));

    const servername = options.servername ?? (isIP(options.host) ? undefined : options.host);
    try {
      socket = tlsConnect({
        socket: tap,
        servername,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        passphrase: options.passphrase,
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        ciphers: options.ciphers,
        // We judge the server's certificate ourselves: never fail on it here, and keep `authorized` about the
        // chain alone (the caller checks the name it cares about with checkServerIdentity).
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
    } catch (error) {
      finish(error as Error);
      return;
    }
    const tlsSocket = socket;
    tlsSocket.on('secureConnect', () => {
      result.handshakeCompleted = true;
      result.protocol = tlsSocket.getProtocol() ?? undefined;
      result.cipher = tlsSocket.getCipher()?.name;
      result.authorized = tlsSocket.authorized;
      result.authorizationError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
      const peer = tlsSocket.getPeerCertificate(true);
      if (peer && Object.keys(peer).length) {
        result.peer = peer;
        result.peerChain = chainOf(peer);
      }
      if (options.httpRequest === undefined) return finish();
      tlsSocket.write(options.httpRequest);
    });
    tlsSocket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n');
      if (end >= 0 || head.length >= MAX_RESPONSE_HEAD) {
        const statusLine = clip(end >= 0 ? head.slice(0, end) : head, 200);
        const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1];
        result.response = { statusLine, status: status ? Number(status) : undefined };
        finish();
      }
    });
    tlsSocket.on('error', (error) => finish(error));
    tlsSocket.on('close', () => finish());
  });
}

/** Leaf first, following issuerCertificate until the self-signed root (which points at itself). */
function chainOf(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate as typeof current;
  }
  return chain;
}

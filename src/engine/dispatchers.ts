import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { TlsEvidence } from '../results/model.js';
import type { ClientIdentity, TargetProfile } from '../scenario/types.js';
import { keepFirstSocketError } from './tls-alerts.js';

export interface DispatcherOptions {
  connectTimeoutMs: number;
  /** Identity name, or undefined for no client certificate. */
  identity?: ClientIdentity;
  localAddress?: string;
  /** TLS version bounds, for probing what a server accepts. */
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  connections?: number;
}

/** An undici Agent with the TLS details of its latest connection per origin kept for evidence. */
export interface TrackedDispatcher {
  dispatcher: Dispatcher;
  tlsFor(origin: string): TlsEvidence | undefined;
  close(): Promise<void>;
}

/** One spelling of an origin for lookups: `https://127.0.0.1:8443`, with the default port written out. */
export function originKey(protocol: string, hostname: string, port: string | number | undefined): string {
  const scheme = protocol.replace(/:$/, '');
  const effectivePort = port === undefined || port === '' ? (scheme === 'https' ? 443 : 80) : port;
  return `${scheme}://${hostname}:${effectivePort}`;
}

export function tlsEvidence(socket: TLSSocket): TlsEvidence {
  const peer = socket.getPeerCertificate?.();
  const cipher = socket.getCipher?.();
  return {
    protocol: socket.getProtocol?.() ?? undefined,
    cipher: cipher?.name,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    peerCertificate:
      peer && Object.keys(peer).length
        ? {
            subject: formatName(peer.subject),
            issuer: formatName(peer.issuer),
            validFrom: peer.valid_from,
            validTo: peer.valid_to,
            fingerprint256: peer.fingerprint256,
            serialNumber: peer.serialNumber,
          }
        : undefined,
  };
}

function formatName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** undici's TLS/TCP connector for one identity (or none), verifying the server unless the profile says not to. */
export function createConnector(profile: TargetProfile, options: DispatcherOptions): buildConnector.connector {
  return buildConnector({
    ca: profile.tls.ca,
    cert: options.identity?.cert,
    key: options.identity?.key,
    passphrase: options.identity?.passphrase,
    servername: profile.tls.servername,
    rejectUnauthorized: !profile.tls.insecure,
    timeout: options.connectTimeoutMs,
    localAddress: options.localAddress,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    // A fresh handshake per connection: a resumed session would skip the client-certificate check we test.
    maxCachedSessions: 0,
  } as buildConnector.BuildOptions);
}

export function createTrackedDispatcher(profile: TargetProfile, options: DispatcherOptions): TrackedDispatcher {
  const latestTls = new Map<string, TlsEvidence>();
  const connector = createConnector(profile, options);
  const agent = new Agent({
    connections: options.connections,
    connect: (connectOptions, callback) => {
      // undici passes the Client's own localAddress (unset) to every connect, overriding the connector's.
      const withSource = options.localAddress ? { ...connectOptions, localAddress: options.localAddress } : connectOptions;
      connector(withSource, (error, socket) => {
        if (!error && socket && 'getPeerCertificate' in socket) {
          keepFirstSocketError(socket);
          latestTls.set(
            originKey(connectOptions.protocol, connectOptions.hostname, connectOptions.port),
            tlsEvidence(socket as TLSSocket),
          );
        }
        // undici's connector callback types are a union of two call shapes; forward what we received.
        (callback as (e: Error | null, s: unknown) => void)(error, socket);
      });
    },
  });
  return {
    dispatcher: agent,
    tlsFor: (origin) => latestTls.get(origin),
    close: () => agent.close().catch(() => agent.destroy()),
  };
}

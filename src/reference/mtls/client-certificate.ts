import type { TLSSocket } from 'node:tls';
import type { ClientCertificate } from './types.js';

/** OpenSSL verify errors meaning "the issuer is not a CA I trust" (nginx's optional_no_ca accepts these). */
const ISSUER_UNKNOWN = ['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN'];

/** Verification errors a flawed server lets through; the flaws are the only way any error is ignored. */
export function verifyErrorsIgnoredBy(flaws: ReadonlySet<string>): Set<string> {
  const ignored = new Set<string>();
  if (flaws.has('mtls-accept-any-ca')) for (const code of ISSUER_UNKNOWN) ignored.add(code);
  if (flaws.has('mtls-accept-expired')) ignored.add('CERT_HAS_EXPIRED');
  return ignored;
}

export type CertificateVerdict =
  | { kind: 'verified'; certificate: ClientCertificate; acceptedDespite?: string }
  | { kind: 'absent' }
  | { kind: 'invalid'; certificate: ClientCertificate; error: string };

/**
 * What the TLS layer decided about a connection's client certificate. OpenSSL reports one verify error (its last),
 * so a flaw that ignores an error code ignores exactly the certificates whose only problem is that one.
 */
export function judgeClientCertificate(socket: TLSSocket, ignored: ReadonlySet<string>): CertificateVerdict {
  const peer = socket.getPeerCertificate?.();
  if (!peer || Object.keys(peer).length === 0) return { kind: 'absent' };
  const certificate = describePeer(peer);
  if (socket.authorized) return { kind: 'verified', certificate };
  const error = String(socket.authorizationError ?? 'UNKNOWN');
  if (ignored.has(error)) return { kind: 'verified', certificate, acceptedDespite: error };
  return { kind: 'invalid', certificate, error };
}

function describePeer(peer: import('node:tls').PeerCertificate): ClientCertificate {
  const cn = peer.subject?.CN;
  return {
    commonName: Array.isArray(cn) ? cn[0] : cn,
    uris: (peer.subjectaltname ?? '')
      .split(', ')
      .filter((name) => name.startsWith('URI:'))
      .map((name) => name.slice(4)),
    subject: formatName(peer.subject),
    issuer: formatName(peer.issuer),
    fingerprint256: peer.fingerprint256,
    serialNumber: peer.serialNumber,
  };
}

function formatName(name: object | undefined): string {
  return Object.entries(name ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

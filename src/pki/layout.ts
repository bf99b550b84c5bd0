import type { ClientRole } from './roles.js';

/** The files `gauntlet certs` writes, by purpose. */
export const PKI_FILES = {
  rootCa: 'ca.crt',
  intermediateCa: 'intermediate-ca.crt',
  /** Intermediate then root: what a server trusts for client certificates (nginx ssl_client_certificate). */
  caChain: 'ca-chain.crt',
  rootCrl: 'ca.crl',
  intermediateCrl: 'intermediate-ca.crl',
  /** Both CRLs in one file (nginx ssl_crl). */
  crlBundle: 'crl.pem',
  /** The server certificate followed by the intermediate, so clients that trust only the root can verify it. */
  serverCert: 'server.crt',
  serverKey: 'server.key',
  /** The CA that issued the `untrusted` client certificate; trusted by nobody. */
  unrelatedCa: 'untrusted-ca.crt',
  profile: 'profile.yaml',
  manifest: 'pki.json',
} as const;

export function clientFiles(role: ClientRole): { cert: string; key: string } {
  return { cert: `client-${role}.crt`, key: `client-${role}.key` };
}

export interface PkiFile {
  name: string;
  content: string;
  /** A private key: written with mode 0600 and registered as a secret wherever it is read. */
  secret: boolean;
}

export interface IdentityEntry {
  cert: string;
  key: string;
  commonName: string;
  uri?: string;
  serial: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
}

/** pki.json: what was generated, for reuse decisions and for servers building an allow-list. No secrets. */
export interface PkiManifest {
  formatVersion: 1;
  generatedAt: string;
  hosts: string[];
  /** The set is usable until then: the server and good client certificates and the CRLs expire at that time. */
  usableUntil: string;
  files: Record<string, { sha256: string; secret: boolean }>;
  server: { commonName: string; fingerprint256: string };
  identities: Record<ClientRole, IdentityEntry>;
  revokedSerials: string[];
}

import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type forge from 'node-forge';
import { createCertificate, generateRsaKeyPairs, toPem, type Issuer, type KeyPair } from './certificate.js';
import { createCrlPem } from './crl.js';
import { mismatchedPrivateKeyPem } from './mismatched-key.js';
import { PKI_FILES, clientFiles, type PkiFile, type PkiManifest, type IdentityEntry } from './layout.js';
import { profileFragment } from './profile-fragment.js';
import { CLIENT_ROLES, clientCommonName, clientUri, type ClientRole } from './roles.js';

export interface PkiOptions {
  /** Names and addresses the server certificate is valid for (SAN DNS names and IP addresses). */
  hosts: string[];
  /** The clock, for tests. */
  now?: Date;
}

export interface GeneratedPki {
  files: PkiFile[];
  manifest: PkiManifest;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Certificates start an hour in the past, so a peer whose clock is a little behind still accepts them. */
const BACKDATE_MS = HOUR;
export const VALIDITY = {
  rootDays: 3650,
  intermediateDays: 1825,
  /** Server and client certificates, and the CRLs' nextUpdate. */
  leafDays: 365,
};
const ORGANIZATION = 'gauntlet test PKI';

/**
 * Keys needed: root, intermediate, server, unrelated CA, one per client role except wrong-key, and a throwaway whose
 * secret parts wrong-key carries (so its key file gives away no other identity's key).
 */
const KEY_NAMES = ['root', 'intermediate', 'server', 'unrelated-ca', 'throwaway', ...CLIENT_ROLES.filter((r) => r !== 'wrong-key')] as const;
type KeyName = (typeof KEY_NAMES)[number];

/**
 * The whole test PKI in memory: a root CA, an intermediate CA, a server certificate for the hosts, the client
 * matrix (see roles.ts), a CRL per CA (Node's TLS, like OpenSSL with CRL_CHECK_ALL, wants one for every CA in
 * the chain once any is given), a CA chain bundle and a target-profile fragment. CA private keys are not kept.
 */
export async function generatePki(options: PkiOptions): Promise<GeneratedPki> {
  if (options.hosts.length === 0) throw new Error('generatePki: at least one host is required');
  const now = options.now ?? new Date();
  const start = new Date(now.getTime() - BACKDATE_MS);
  const days = (n: number) => new Date(now.getTime() + n * DAY);
  const leafEnd = days(VALIDITY.leafDays);

  const generated = await generateRsaKeyPairs(KEY_NAMES.length);
  const keys = new Map<KeyName, KeyPair>(KEY_NAMES.map((name, i) => [name, generated[i]!]));
  const key = (name: KeyName) => keys.get(name)!;

  const root = createCertificate({
    subject: { commonName: 'gauntlet test root CA', organization: ORGANIZATION },
    publicKey: key('root').publicKey,
    selfSignKey: key('root').privateKey,
    notBefore: start,
    notAfter: days(VALIDITY.rootDays),
    ca: { pathLength: 1 },
  });
  const rootIssuer: Issuer = { certificate: root, privateKey: key('root').privateKey };
  const intermediate = createCertificate({
    subject: { commonName: 'gauntlet test intermediate CA', organization: ORGANIZATION },
    publicKey: key('intermediate').publicKey,
    issuer: rootIssuer,
    notBefore: start,
    notAfter: days(VALIDITY.intermediateDays),
    ca: { pathLength: 0 },
  });
  const issuer: Issuer = { certificate: intermediate, privateKey: key('intermediate').privateKey };
  const unrelatedCa = createCertificate({
    subject: { commonName: 'gauntlet unrelated CA', organization: 'not the gauntlet test PKI' },
    publicKey: key('unrelated-ca').publicKey,
    selfSignKey: key('unrelated-ca').privateKey,
    notBefore: start,
    notAfter: days(VALIDITY.rootDays),
    ca: {},
  });

  const server = createCertificate({
    subject: { commonName: options.hosts[0]!, organization: ORGANIZATION },
    publicKey: key('server').publicKey,
    issuer,
    notBefore: start,
    notAfter: leafEnd,
    san: { dns: options.hosts.filter((h) => !isIP(h)), ip: options.hosts.filter((h) => isIP(h)) },
    extKeyUsage: ['serverAuth'],
  });

  const validIdentity = { subject: { commonName: clientCommonName('valid'), organization: ORGANIZATION }, san: { uri: [clientUri('valid')] } };
  const client = (role: KeyName & ClientRole, overrides: Partial<Parameters<typeof createCertificate>[0]> = {}): forge.pki.Certificate =>
    createCertificate({
      ...validIdentity,
      publicKey: key(role).publicKey,
      issuer,
      notBefore: start,
      notAfter: leafEnd,
      extKeyUsage: ['clientAuth'],
      ...overrides,
    });
  const ownIdentity = (role: 'valid-2' | 'not-allowed') => ({
    subject: { commonName: clientCommonName(role), organization: ORGANIZATION },
    san: { uri: [clientUri(role)] },
  });

  const certificates = new Map<ClientRole, forge.pki.Certificate>();
  certificates.set('valid', client('valid'));
  certificates.set('valid-2', client('valid-2', ownIdentity('valid-2')));
  certificates.set('not-allowed', client('not-allowed', ownIdentity('not-allowed')));
  certificates.set('expired', client('expired', { notBefore: days(-60), notAfter: days(-30) }));
  // Valid only after the set itself expires, so a reused set never turns it into a valid certificate.
  certificates.set('not-yet-valid', client('not-yet-valid', { notBefore: days(VALIDITY.leafDays + 1), notAfter: days(2 * VALIDITY.leafDays) }));
  certificates.set('revoked', client('revoked'));
  certificates.set('untrusted', client('untrusted', { issuer: { certificate: unrelatedCa, privateKey: key('unrelated-ca').privateKey } }));
  certificates.set('self-signed', client('self-signed', { issuer: undefined, selfSignKey: key('self-signed').privateKey }));
  certificates.set('server-eku-only', client('server-eku-only', { extKeyUsage: ['serverAuth'] }));
  certificates.set('wrong-key', certificates.get('valid')!);

  const revokedSerials = [certificates.get('revoked')!.serialNumber];
  const rootCrl = createCrlPem({ issuer: root, issuerKeyPem: key('root').privateKeyPem, thisUpdate: start, nextUpdate: leafEnd, number: 1, entries: [] });
  const intermediateCrl = createCrlPem({
    issuer: intermediate,
    issuerKeyPem: key('intermediate').privateKeyPem,
    thisUpdate: start,
    nextUpdate: leafEnd,
    number: 1,
    entries: revokedSerials.map((serialHex) => ({ serialHex, revokedAt: start })),
  });

  const files: PkiFile[] = [
    { name: PKI_FILES.rootCa, content: toPem(root), secret: false },
    { name: PKI_FILES.intermediateCa, content: toPem(intermediate), secret: false },
    { name: PKI_FILES.caChain, content: toPem(intermediate) + toPem(root), secret: false },
    { name: PKI_FILES.rootCrl, content: rootCrl, secret: false },
    { name: PKI_FILES.intermediateCrl, content: intermediateCrl, secret: false },
    { name: PKI_FILES.crlBundle, content: rootCrl + intermediateCrl, secret: false },
    { name: PKI_FILES.serverCert, content: toPem(server) + toPem(intermediate), secret: false },
    { name: PKI_FILES.serverKey, content: key('server').privateKeyPem, secret: true },
    { name: PKI_FILES.unrelatedCa, content: toPem(unrelatedCa), secret: false },
  ];
  const identities = {} as Record<ClientRole, IdentityEntry>;
  for (const role of CLIENT_ROLES) {
    const certificate = certificates.get(role)!;
    const names = clientFiles(role);
    const keyPem = role === 'wrong-key' ? mismatchedPrivateKeyPem(key('valid').privateKey, key('throwaway').privateKey) : key(role).privateKeyPem;
    files.push({ name: names.cert, content: toPem(certificate), secret: false }, { name: names.key, content: keyPem, secret: true });
    const x509 = new X509Certificate(toPem(certificate));
    identities[role] = {
      cert: names.cert,
      key: names.key,
      commonName: certificate.subject.getField('CN').value as string,
      uri: (certificate.getExtension('subjectAltName') as { altNames?: { type: number; value: string }[] } | null)?.altNames?.find((n) => n.type === 6)?.value,
      serial: certificate.serialNumber,
      fingerprint256: x509.fingerprint256,
      notBefore: certificate.validity.notBefore.toISOString(),
      notAfter: certificate.validity.notAfter.toISOString(),
    };
  }
  files.push({ name: PKI_FILES.profile, content: profileFragment(options.hosts, now), secret: false });

  const manifest: PkiManifest = {
    formatVersion: 1,
    generatedAt: now.toISOString(),
    hosts: [...options.hosts],
    usableUntil: leafEnd.toISOString(),
    files: Object.fromEntries(files.map((f) => [f.name, { sha256: sha256(f.content), secret: f.secret }])),
    server: { commonName: options.hosts[0]!, fingerprint256: new X509Certificate(toPem(server)).fingerprint256 },
    identities,
    revokedSerials,
  };
  return { files, manifest };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

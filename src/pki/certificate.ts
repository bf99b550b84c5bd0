import { generateKeyPair, generateKeyPairSync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface KeyPair {
  privateKeyPem: string;
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
}

/** RSA keys from Node's native generator (node-forge's pure-JS generation takes seconds per key). */
export function generateRsaKeyPair(bits = 2048): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return fromNodePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

const generateKeyPairAsync = promisify(generateKeyPair);

function fromNodePem(privateKeyPem: string): KeyPair {
  const forgePrivate = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  return { privateKeyPem, privateKey: forgePrivate, publicKey: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e) };
}

/** Several RSA keys at once, generated on libuv's thread pool (in parallel on several cores). */
export async function generateRsaKeyPairs(count: number, bits = 2048): Promise<KeyPair[]> {
  const pairs = await Promise.all(
    Array.from({ length: count }, () =>
      generateKeyPairAsync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }),
    ),
  );
  return pairs.map((pair) => fromNodePem(pair.privateKey));
}

export interface Subject {
  commonName: string;
  organization?: string;
}

export interface Issuer {
  certificate: forge.pki.Certificate;
  privateKey: forge.pki.rsa.PrivateKey;
}

export interface CertificateSpec {
  subject: Subject;
  publicKey: forge.pki.rsa.PublicKey;
  /** Omitted: self-signed with `selfSignKey`. */
  issuer?: Issuer;
  selfSignKey?: forge.pki.rsa.PrivateKey;
  notBefore: Date;
  notAfter: Date;
  ca?: { pathLength?: number };
  san?: { dns?: string[]; ip?: string[]; uri?: string[] };
  extKeyUsage?: ('serverAuth' | 'clientAuth')[];
  /** Signature digest; sha1 only to build deliberately weak certificates. */
  digest?: 'sha256' | 'sha1';
}

function attributes(subject: Subject): forge.pki.CertificateField[] {
  const fields: forge.pki.CertificateField[] = [{ name: 'commonName', value: subject.commonName }];
  if (subject.organization) fields.push({ name: 'organizationName', value: subject.organization });
  return fields;
}

/**
 * A positive serial of 16 random bytes, as CAs issue them (RFC 5280: positive, at most 20 octets). The first byte
 * is 01..7f: positive without a sign byte, and never 00, which forge would write as a non-minimal DER INTEGER
 * that OpenSSL refuses to parse ("illegal padding").
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

export function createCertificate(spec: CertificateSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(attributes(spec.subject));
  cert.setIssuer(spec.issuer ? spec.issuer.certificate.subject.attributes : attributes(spec.subject));

  const extensions: Record<string, unknown>[] = [];
  if (spec.ca) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true, ...(spec.ca.pathLength !== undefined ? { pathLenConstraint: spec.ca.pathLength } : {}) });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
  } else {
    extensions.push({ name: 'basicConstraints', cA: false, critical: true });
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
  }
  if (spec.extKeyUsage?.length) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(spec.extKeyUsage.map((u) => [u, true])) });
  }
  const altNames = [
    ...(spec.san?.dns ?? []).map((value) => ({ type: 2, value })),
    ...(spec.san?.uri ?? []).map((value) => ({ type: 6, value })),
    ...(spec.san?.ip ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length) extensions.push({ name: 'subjectAltName', altNames });
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (spec.issuer) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: spec.issuer.certificate.generateSubjectKeyIdentifier().getBytes() });
  }
  cert.setExtensions(extensions);
  const signer = spec.issuer?.privateKey ?? spec.selfSignKey;
  if (!signer) throw new Error('createCertificate: an issuer or a self-sign key is required');
  cert.sign(signer, spec.digest === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create());
  return cert;
}

export const toPem = (cert: forge.pki.Certificate): string => forge.pki.certificateToPem(cert);

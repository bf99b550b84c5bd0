import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** What the tls kind judges about one certificate of a served chain. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** A trust anchor (self-issued and self-signed): its own signature and expiry do not matter to clients. */
  selfSigned: boolean;
  keyType: string;
  /** RSA modulus bits or EC curve bits. */
  keyBits?: number;
  curve?: string;
  signatureOid: string;
  signatureName: string;
  /** Signed with SHA-1 or MD5. */
  weakSignature: boolean;
}

const SIGNATURES: Record<string, { name: string; weak?: boolean }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', weak: true },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', weak: true },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption' },
  '1.2.840.113549.1.1.10': { name: 'rsassa-pss' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512' },
  '1.3.101.112': { name: 'ed25519' },
  '1.3.101.113': { name: 'ed448' },
};

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  secp192r1: 192,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

/** Certificate (SEQUENCE) > signatureAlgorithm (SEQUENCE) > algorithm (OID): Node 20 does not expose it. */
function signatureOid(der: Buffer): string {
  const certificate = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const algorithm = (certificate.value as forge.asn1.Asn1[])[1]!;
  const oid = (algorithm.value as forge.asn1.Asn1[])[0]!;
  return forge.asn1.derToOid(oid.value as string);
}

export function certificateFacts(der: Buffer): CertificateFacts {
  const x509 = new X509Certificate(der);
  const oid = signatureOid(der);
  const known = SIGNATURES[oid];
  let selfSigned = false;
  if (x509.subject === x509.issuer) {
    try {
      selfSigned = x509.verify(x509.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve;
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const keyBits = details.modulusLength ?? (curve ? CURVE_BITS[curve] : keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 448 : undefined);
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    selfSigned,
    keyType,
    keyBits,
    curve,
    signatureOid: oid,
    signatureName: known?.name ?? oid,
    weakSignature: known?.weak ?? false,
  };
}

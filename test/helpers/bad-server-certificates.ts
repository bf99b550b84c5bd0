import { createCertificate, generateRsaKeyPairs, toPem } from '../../src/pki/certificate.js';

export interface ServerCertificate {
  key: string;
  cert: string;
}

/** Server certificates a client must refuse, from a CA of their own (`caPem`, to trust beside the real one). */
export interface BadServerCertificates {
  caPem: string;
  /** Chains to the CA, valid now, but names only other.example (the target is 127.0.0.1). */
  wrongHost: ServerCertificate;
  /** Chains to the CA and names 127.0.0.1, but expired a month ago. */
  expired: ServerCertificate;
  /** Names 127.0.0.1, signed by its own key: nothing vouches for it. */
  selfSigned: ServerCertificate;
}

const DAY = 86_400_000;

export async function badServerCertificates(): Promise<BadServerCertificates> {
  const [caKey, wrongHostKey, expiredKey, selfSignedKey] = await generateRsaKeyPairs(4);
  const now = Date.now();
  const ca = createCertificate({
    subject: { commonName: 'gauntlet fuzz CA' },
    publicKey: caKey!.publicKey,
    selfSignKey: caKey!.privateKey,
    notBefore: new Date(now - 400 * DAY),
    notAfter: new Date(now + 400 * DAY),
    ca: { pathLength: 0 },
  });
  const issuer = { certificate: ca, privateKey: caKey!.privateKey };
  const leaf = (key: typeof caKey, commonName: string, san: { dns?: string[]; ip?: string[] }, from: number, to: number, signedBy: 'ca' | 'self') =>
    toPem(
      createCertificate({
        subject: { commonName },
        publicKey: key!.publicKey,
        ...(signedBy === 'ca' ? { issuer } : { selfSignKey: key!.privateKey }),
        notBefore: new Date(from),
        notAfter: new Date(to),
        san,
        extKeyUsage: ['serverAuth'],
      }),
    );
  return {
    caPem: toPem(ca),
    wrongHost: { key: wrongHostKey!.privateKeyPem, cert: leaf(wrongHostKey, 'other.example', { dns: ['other.example'] }, now - DAY, now + 300 * DAY, 'ca') },
    expired: { key: expiredKey!.privateKeyPem, cert: leaf(expiredKey, '127.0.0.1', { ip: ['127.0.0.1'] }, now - 60 * DAY, now - 30 * DAY, 'ca') },
    selfSigned: { key: selfSignedKey!.privateKeyPem, cert: leaf(selfSignedKey, '127.0.0.1', { ip: ['127.0.0.1'] }, now - DAY, now + 300 * DAY, 'self') },
  };
}

import { createCertificate, generateRsaKeyPair, toPem } from '../../src/pki/certificate.js';
import { tempDir, type TempDir } from './temp.js';

export interface MiniPki {
  dir: TempDir;
  caPem: string;
  server: { cert: string; key: string };
  client: { certPath: string; keyPath: string; keyPem: string };
  caPath: string;
}

/** A CA, a server certificate for 127.0.0.1 and one client certificate, written to a temp folder. */
export function miniPki(): MiniPki {
  const dir = tempDir('gauntlet-pki-');
  const day = 86_400_000;
  const now = Date.now();
  const caKeys = generateRsaKeyPair();
  const ca = createCertificate({
    subject: { commonName: 'gauntlet test CA' },
    publicKey: caKeys.publicKey,
    selfSignKey: caKeys.privateKey,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 30 * day),
    ca: {},
  });
  const issuer = { certificate: ca, privateKey: caKeys.privateKey };
  const serverKeys = generateRsaKeyPair();
  const server = createCertificate({
    subject: { commonName: 'localhost' },
    publicKey: serverKeys.publicKey,
    issuer,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 30 * day),
    san: { dns: ['localhost'], ip: ['127.0.0.1'] },
    extKeyUsage: ['serverAuth'],
  });
  const clientKeys = generateRsaKeyPair();
  const client = createCertificate({
    subject: { commonName: 'client-valid' },
    publicKey: clientKeys.publicKey,
    issuer,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 30 * day),
    extKeyUsage: ['clientAuth'],
  });
  return {
    dir,
    caPem: toPem(ca),
    caPath: dir.file('ca.crt', toPem(ca)),
    server: { cert: toPem(server), key: serverKeys.privateKeyPem },
    client: { certPath: dir.file('client.crt', toPem(client)), keyPath: dir.file('client.key', clientKeys.privateKeyPem), keyPem: clientKeys.privateKeyPem },
  };
}

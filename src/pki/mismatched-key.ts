import forge from 'node-forge';

/**
 * A private key that claims the public key of `certificateKey` but holds the secret parts of `otherKey`.
 *
 * Why not simply another key: OpenSSL refuses to load a certificate with a key whose public half differs
 * ("key values mismatch"), so a client could never present it and the server would never be tested. This key has
 * the certificate's modulus and exponent, so the client library loads it, but its signatures are garbage: the
 * server must reject the handshake when it checks the CertificateVerify signature (proof of possession). It
 * models someone holding a certificate (public) without its private key.
 */
export function mismatchedPrivateKeyPem(certificateKey: forge.pki.rsa.PrivateKey, otherKey: forge.pki.rsa.PrivateKey): string {
  const forged = forge.pki.setRsaPrivateKey(
    certificateKey.n,
    certificateKey.e,
    otherKey.d,
    otherKey.p,
    otherKey.q,
    otherKey.dP,
    otherKey.dQ,
    otherKey.qInv,
  );
  return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forged)));
}

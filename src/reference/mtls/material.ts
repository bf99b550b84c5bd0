import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKI_FILES, type PkiManifest } from '../../pki/layout.js';
import type { AllowEntry, MtlsMode, MtlsOptions } from './types.js';

/**
 * The allow-list for a PKI written by `gauntlet certs`: `valid` matched by its CN and `valid-2` by its SAN URI, so
 * both ways of matching are exercised. Every other identity of the matrix is either `valid`'s (and refused for
 * another reason) or `not-allowed`.
 */
export function defaultAllowList(manifest: PkiManifest): AllowEntry[] {
  return [
    { principal: 'orders-service', commonName: manifest.identities.valid.commonName },
    { principal: 'billing-service', uri: manifest.identities['valid-2'].uri },
  ];
}

/** Server-side mTLS options from a PKI folder written by `gauntlet certs`. */
export function mtlsOptionsFromPki(dir: string, mode: MtlsMode = 'required'): MtlsOptions {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const manifest = JSON.parse(read(PKI_FILES.manifest)) as PkiManifest;
  return {
    mode,
    key: read(PKI_FILES.serverKey),
    cert: read(PKI_FILES.serverCert),
    ca: [read(PKI_FILES.rootCa), read(PKI_FILES.intermediateCa)],
    crl: [read(PKI_FILES.rootCrl), read(PKI_FILES.intermediateCrl)],
    allow: defaultAllowList(manifest),
  };
}

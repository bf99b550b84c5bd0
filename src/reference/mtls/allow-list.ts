import type { AllowEntry, ClientCertificate } from './types.js';

/** The principal an allow-list maps a verified certificate to (by subject CN or SAN URI), or undefined. */
export function principalFor(certificate: ClientCertificate, allow: readonly AllowEntry[]): string | undefined {
  for (const entry of allow) {
    if (entry.commonName !== undefined && entry.commonName === certificate.commonName) return entry.principal;
    if (entry.uri !== undefined && certificate.uris.includes(entry.uri)) return entry.principal;
  }
  return undefined;
}

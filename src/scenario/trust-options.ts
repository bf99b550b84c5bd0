import { X509Certificate } from 'node:crypto';
import type { RunTrust } from '../results/model.js';
import { GauntletError } from '../util/errors.js';
import { displayPath } from './files.js';
import { readInputFile } from './input-file.js';
import type { TargetProfile } from './types.js';

/** Quick trust fixes from the command line: `--cacert <file>` and `--insecure`. */
export interface TrustOptions {
  /** A CA (PEM, one or several) to verify the target with, as the profile's tls.ca; with it, both are trusted. */
  cacert?: string;
  /** Do not verify the target's certificate, as the profile's tls.insecure. */
  insecure?: boolean;
}

/**
 * The profile with the command line's trust options applied, and what the run's reports must say about trust
 * (undefined when verification is as usual). A --cacert that cannot be read or is no certificate is refused here,
 * before anything is sent.
 */
export function withTrustOptions(profile: TargetProfile, options: TrustOptions): { profile: TargetProfile; trust?: RunTrust } {
  const extraCa = options.cacert === undefined ? undefined : readCaFile(options.cacert);
  const insecure = profile.tls.insecure || options.insecure === true;
  const ca = [profile.tls.ca, extraCa].filter((pem): pem is string => pem !== undefined).join('\n') || undefined;
  const insecureBy = [
    ...(options.insecure ? ['--insecure'] : []),
    ...(profile.tls.insecure ? [`tls.insecure in ${profile.file ?? 'the profile'}`] : []),
  ];
  const caFiles = [
    ...(profile.tls.caPath ? [`${displayPath(profile.tls.caPath)} (tls.ca)`] : []),
    ...(options.cacert ? [`${displayPath(options.cacert)} (--cacert)`] : []),
  ];
  const trust: RunTrust | undefined =
    insecure || caFiles.length ? { insecure, ...(insecureBy.length ? { insecureBy } : {}), ...(caFiles.length ? { caFiles } : {}) } : undefined;
  if (!extraCa && !options.insecure) return { profile, trust };
  return { profile: { ...profile, tls: { ...profile.tls, ca, insecure } }, trust };
}

/** The file's text when it holds a certificate; the message never quotes the file (it might be a key by mistake). */
function readCaFile(path: string): string {
  const read = readInputFile(path);
  if (!('text' in read)) throw new GauntletError('E_USAGE', `--cacert: cannot read ${path}: ${read.reason}`);
  try {
    new X509Certificate(read.text);
  } catch {
    throw new GauntletError('E_USAGE', `--cacert: ${path} is not a PEM X.509 certificate`);
  }
  return read.text;
}

import { scryptSync, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import { readSecretRef, type SecretRef } from '../scenario/load-profile.js';
import type { ClientIdentity, KeyPlacement, TargetProfile } from '../scenario/types.js';
import { resolveLoadTime, type LoadTimeProblem } from '../scenario/variables.js';
import { readInputFile } from '../scenario/input-file.js';
import { GauntletError } from '../util/errors.js';

/**
 * What a worker needs of the target profile to generate load, with every secret left as the profile writes it
 * (`${env:GAUNTLET_KEY_VALID}`, `{ file: secrets/key }`, a key file's path): the worker reads them from its own
 * environment and files. Public material (the CA, client certificates) travels as text.
 */
export interface ProfileSkeleton {
  baseUrl: string;
  replicas: string[];
  tls: { ca?: string; servername?: string; insecure: boolean; identities: Record<string, { cert: string; key: string; passphrase?: SecretRef }> };
  keys: Record<string, SecretRef>;
  defaults: { identity?: string; key?: KeyPlacement };
  headers: Record<string, string>;
  vars: Record<string, string>;
  timeouts: { requestMs: number; connectMs: number };
}

/** Per secret (`keys.valid`, `tls.identities.alice.key`, `headers.Authorization`): a salted scrypt digest of its value. */
export type SecretFingerprints = Record<string, string>;

export function skeletonOf(profile: TargetProfile): ProfileSkeleton {
  const sources = profile.sources;
  if (!sources && (profile.keys.size > 0 || profile.tls.identities.size > 0)) {
    throw new GauntletError('E_NO_PROFILE_FILE', 'load workers read the keys and identities from their own environment as the profile file writes them; this profile was not read from a file');
  }
  return {
    baseUrl: profile.baseUrl,
    replicas: profile.replicas,
    tls: {
      ca: profile.tls.ca,
      servername: profile.tls.servername,
      insecure: profile.tls.insecure,
      identities: Object.fromEntries([...profile.tls.identities].map(([name, identity]) => [name, { cert: identity.cert, key: sources!.identities[name]!.key, passphrase: sources!.identities[name]!.passphrase }])),
    },
    keys: sources?.keys ?? {},
    defaults: profile.defaults,
    headers: sources?.headers ?? profile.headers,
    vars: profile.vars,
    timeouts: profile.timeouts,
  };
}

/** The secrets of a profile by where they are written, with their values. */
function secretsOf(profile: TargetProfile, skeleton: ProfileSkeleton): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of profile.keys) out.set(`keys.${name}`, value);
  for (const [name, identity] of profile.tls.identities) {
    out.set(`tls.identities.${name}.key`, identity.key);
    if (identity.passphrase !== undefined) out.set(`tls.identities.${name}.passphrase`, identity.passphrase);
  }
  // A header written with a reference (a token from the environment) is a secret too.
  for (const [name, written] of Object.entries(skeleton.headers)) if (/\$\{(env|file):/.test(written) && profile.headers[name] !== undefined) out.set(`headers.${name}`, profile.headers[name]!);
  return out;
}

export function fingerprintSecrets(profile: TargetProfile, skeleton: ProfileSkeleton, salt: string): SecretFingerprints {
  return Object.fromEntries([...secretsOf(profile, skeleton)].map(([where, value]) => [where, digest(value, salt)]));
}

/** scrypt, so a digest that leaks cannot be turned back into a short key by guessing fast. */
function digest(value: string, salt: string): string {
  return scryptSync(value, salt, 32, { N: 1 << 14, r: 8, p: 1 }).toString('base64');
}

/**
 * The worker's profile: the skeleton with each secret read from this process's environment and files (relative
 * ones from `baseDir`), checked against the coordinator's fingerprints. A secret that cannot be read, or whose
 * value differs from the coordinator's, is refused by name; the value is never shown.
 */
export function profileFromSkeleton(skeleton: ProfileSkeleton, options: { baseDir: string; env: NodeJS.ProcessEnv; fingerprints: SecretFingerprints; salt: string }): TargetProfile {
  const problems: LoadTimeProblem[] = [];
  const read = (ref: SecretRef, path: string[]) => readSecretRef(typeof ref === 'string' ? (resolveLoadTime(ref, options, problems, path) as string) : ref, options, path, problems);
  const keys = new Map<string, string>();
  for (const [name, ref] of Object.entries(skeleton.keys)) {
    const value = read(ref, ['keys', name]);
    if (value !== undefined) keys.set(name, value);
  }
  const identities = new Map<string, ClientIdentity>();
  for (const [name, entry] of Object.entries(skeleton.tls.identities)) {
    const keyPath = resolve(options.baseDir, resolveLoadTime(entry.key, options, problems, ['tls', 'identities', name, 'key']) as string);
    const file = readInputFile(keyPath);
    if (!('text' in file)) problems.push({ path: ['tls', 'identities', name, 'key'], code: file.code, message: `cannot read ${keyPath}: ${file.reason}` });
    const passphrase = entry.passphrase === undefined ? undefined : read(entry.passphrase, ['tls', 'identities', name, 'passphrase']);
    if ('text' in file) identities.set(name, { name, certPath: '(from the coordinator)', keyPath, cert: entry.cert, key: file.text, passphrase });
  }
  const headers = resolveLoadTime(skeleton.headers, options, problems, ['headers']) as Record<string, string>;
  if (problems.length) throw new GauntletError('E_WORKER_SECRETS', `this worker cannot read the profile's secrets: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);

  const profile: TargetProfile = {
    baseUrl: skeleton.baseUrl,
    replicas: skeleton.replicas,
    tls: { ca: skeleton.tls.ca, servername: skeleton.tls.servername, insecure: skeleton.tls.insecure, identities },
    keys,
    defaults: skeleton.defaults,
    headers,
    vars: skeleton.vars,
    timeouts: skeleton.timeouts,
    allowLoad: false,
    mutations: 'forbidden',
    keyScopes: new Map(),
    extensions: {},
  };
  const mine = secretsOf(profile, skeleton);
  const differ = Object.keys(options.fingerprints).filter((where) => {
    const value = mine.get(where);
    return value === undefined || !timingSafeEqual(Buffer.from(digest(value, options.salt)), Buffer.from(options.fingerprints[where]!));
  });
  const extra = [...mine.keys()].filter((where) => !(where in options.fingerprints));
  if (differ.length || extra.length) {
    const said = [...differ.map((w) => `${w} (${describeSource(skeleton, w)}) differs from the coordinator's`), ...extra.map((w) => `${w} is not the coordinator's`)];
    throw new GauntletError('E_WORKER_SECRETS', `this worker's secrets do not match the coordinator's: ${said.join('; ')}. Give every worker the same values as the coordinator`);
  }
  return profile;
}

/** `from GAUNTLET_KEY_VALID`: where a worker reads a secret, for messages (never its value). */
function describeSource(skeleton: ProfileSkeleton, where: string): string {
  const [section, name, field] = where.split('.').length === 4 ? [where.split('.')[0], where.split('.')[2], where.split('.')[3]] : [where.split('.')[0], where.split('.')[1], undefined];
  const ref: SecretRef | undefined =
    section === 'keys' ? skeleton.keys[name!] : section === 'headers' ? skeleton.headers[name!] : field === 'key' ? skeleton.tls.identities[name!]?.key : skeleton.tls.identities[name!]?.passphrase;
  if (ref === undefined) return 'unknown';
  if (typeof ref === 'string') return `written ${ref}`;
  return ref.env !== undefined ? `from ${ref.env}` : `from the file ${ref.file}`;
}

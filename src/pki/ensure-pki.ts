import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { GauntletError } from '../util/errors.js';
import { CLIENT_ROLES } from './roles.js';
import { clientFiles, PKI_FILES, type PkiManifest } from './layout.js';
import { generatePki, sha256 } from './matrix.js';

export interface EnsurePkiOptions {
  dir: string;
  hosts: string[];
  /** Regenerate even when the set in `dir` is still usable, and overwrite files gauntlet did not write. */
  force?: boolean;
  now?: Date;
}

export interface EnsurePkiResult {
  action: 'generated' | 'reused';
  /** Why the set was (re)generated, or why it could be reused. */
  reason: string;
  dir: string;
  manifest: PkiManifest;
}

/** A reused set must stay valid at least this long, so the tls check's 30-day expiry threshold holds on it. */
export const REUSE_MIN_DAYS = 60;
const DAY = 86_400_000;

const KEY_MODE = 0o600;
const FILE_MODE = 0o644;

type Verdict = { reuse: true; reason: string; manifest: PkiManifest } | { reuse: false; reason: string; needsForce?: boolean };

function allFileNames(): string[] {
  return [...Object.values(PKI_FILES), ...CLIENT_ROLES.flatMap((r) => Object.values(clientFiles(r)))];
}

/** Whether the set in `dir` can be used as is: written by gauntlet, unchanged, for these hosts, valid long enough. */
export function inspectPki(dir: string, hosts: string[], now: Date): Verdict {
  const manifestPath = join(dir, PKI_FILES.manifest);
  if (!existsSync(manifestPath)) {
    const present = allFileNames().filter((name) => existsSync(join(dir, name)));
    if (present.length) return { reuse: false, needsForce: true, reason: `${dir} holds ${present.join(', ')} without a ${PKI_FILES.manifest} from gauntlet` };
    return { reuse: false, reason: `no PKI in ${dir} yet` };
  }
  let manifest: PkiManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PkiManifest;
    if (manifest.formatVersion !== 1 || typeof manifest.files !== 'object') throw new Error('unknown format');
  } catch (error) {
    return { reuse: false, needsForce: true, reason: `${manifestPath} is not a manifest gauntlet can read (${(error as Error).message})` };
  }
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [name, entry] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    if (!existsSync(path)) missing.push(name);
    else if (sha256(readFileSync(path, 'utf8')) !== entry.sha256) changed.push(name);
  }
  if (changed.length) return { reuse: false, needsForce: true, reason: `${changed.join(', ')} changed since gauntlet wrote them` };
  if (missing.length) return { reuse: false, reason: `${missing.join(', ')} missing` };
  const wanted = [...hosts].sort().join(',');
  if ([...manifest.hosts].sort().join(',') !== wanted) return { reuse: false, reason: `the set was made for ${manifest.hosts.join(',')}, not ${hosts.join(',')}` };
  const usableUntil = new Date(manifest.usableUntil);
  const daysLeft = (usableUntil.getTime() - now.getTime()) / DAY;
  if (!(daysLeft >= REUSE_MIN_DAYS)) return { reuse: false, reason: `the set expires ${manifest.usableUntil} (under ${REUSE_MIN_DAYS} days left)` };
  return { reuse: true, manifest, reason: `still valid until ${manifest.usableUntil}` };
}

/**
 * Makes sure `dir` holds a usable test PKI: reuses one that is still valid, else generates a new one. Keys are
 * written with mode 0600; every file goes through a temporary file and a rename, and the manifest is written
 * last (and removed first), so an interrupted run never leaves a set that looks complete.
 */
export async function ensurePki(options: EnsurePkiOptions): Promise<EnsurePkiResult> {
  const dir = resolve(options.dir);
  const now = options.now ?? new Date();
  const hosts = [...new Set(options.hosts.map((h) => h.trim().replace(/^\[(.*)\]$/, '$1')).filter(Boolean))];
  if (hosts.length === 0) throw new GauntletError('E_USAGE', '--hosts needs at least one host name or IP address');
  const invalid = hosts.filter((h) => !isHostNameOrIp(h));
  if (invalid.length) {
    throw new GauntletError('E_USAGE', `--hosts: ${invalid.map((h) => JSON.stringify(h)).join(', ')} ${invalid.length === 1 ? 'is not a host name or IP address' : 'are not host names or IP addresses'} (give names like localhost or addresses like 127.0.0.1 or ::1, without a scheme or port)`);
  }
  const verdict = inspectPki(dir, hosts, now);
  if (verdict.reuse && !options.force) {
    // A key someone made readable to others is put back to 0600 (the set is otherwise unchanged, so still usable).
    for (const [name, entry] of Object.entries(verdict.manifest.files)) if (entry.secret) chmodSync(join(dir, name), KEY_MODE);
    return { action: 'reused', reason: verdict.reason, dir, manifest: verdict.manifest };
  }
  if (!verdict.reuse && verdict.needsForce && !options.force) {
    throw new GauntletError('E_PKI_EXISTS', `not overwriting: ${verdict.reason}. Pass --force to replace them, or choose another --out folder.`);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new GauntletError('E_PKI_OUT', `cannot create the --out folder ${dir}: ${(error as Error).message}`);
  }
  const { files, manifest } = await generatePki({ hosts, now });
  rmSync(join(dir, PKI_FILES.manifest), { force: true });
  for (const file of files) writeAtomic(join(dir, file.name), file.content, file.secret ? KEY_MODE : FILE_MODE);
  writeAtomic(join(dir, PKI_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, FILE_MODE);
  return { action: 'generated', reason: options.force ? '--force' : verdict.reason, dir, manifest };
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** An IPv4 or IPv6 address, or a DNS name (letters, digits and hyphens in dot-separated labels). */
export function isHostNameOrIp(host: string): boolean {
  if (isIP(host)) return true;
  return host.length <= 253 && host.split('.').every((label) => DNS_LABEL.test(label));
}

function writeAtomic(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { mode });
    chmodSync(temporary, mode); // in case a stale temporary file already existed with other permissions
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new GauntletError('E_PKI_OUT', `cannot write ${path}: ${(error as Error).message}`);
  }
}

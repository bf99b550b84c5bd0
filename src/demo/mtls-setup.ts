import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_KINDS } from '../checks/index.js';
import { ensurePki } from '../pki/ensure-pki.js';
import { PKI_FILES } from '../pki/layout.js';
import { mtlsOptionsFromPki } from '../reference/mtls/material.js';
import type { MtlsOptions } from '../reference/mtls/types.js';
import type { SecretRegistry } from '../results/secrets.js';
import { loadProfile } from '../scenario/load-profile.js';
import type { TargetProfile } from '../scenario/types.js';

export interface DemoPki {
  dir: string;
  serverOptions: MtlsOptions;
  remove(): void;
}

/**
 * A fresh test PKI in a temporary folder, and the server's mTLS options from it. The folder holds private keys, so
 * it goes when `remove` is called or, failing that, when the process exits (process.exit skips finally blocks).
 */
export async function createDemoPki(): Promise<DemoPki> {
  const dir = mkdtempSync(join(tmpdir(), 'gauntlet-demo-pki-'));
  const removeNow = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeNow);
  const remove = () => {
    process.off('exit', removeNow);
    removeNow();
  };
  try {
    await ensurePki({ dir, hosts: ['127.0.0.1', 'localhost'] });
    return { dir, serverOptions: mtlsOptionsFromPki(dir, 'required'), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * Gives the demo profile the CA and every identity of the PKI, through the same loader and profile fragment a
 * user gets from `gauntlet certs` (so the private keys are registered as secrets), and `valid` as the default
 * identity for requests that name none.
 */
export function addDemoIdentities(profile: TargetProfile, pki: DemoPki, secrets: SecretRegistry): void {
  const fragment = loadProfile(join(pki.dir, PKI_FILES.profile), { kinds: CHECK_KINDS, secrets, target: profile.baseUrl });
  profile.tls = fragment.tls;
  profile.defaults.identity = fragment.defaults.identity;
}

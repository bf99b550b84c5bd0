import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePki } from '../../src/pki/ensure-pki.js';
import type { PkiManifest } from '../../src/pki/layout.js';
import { tempDir, type TempDir } from './temp.js';

export interface TestPki {
  dir: TempDir;
  manifest: PkiManifest;
  path(name: string): string;
  read(name: string): string;
}

/** The real test PKI (`gauntlet certs`), for 127.0.0.1 and localhost unless told other hosts, in a temporary folder. */
export async function testPki(hosts = ['127.0.0.1', 'localhost']): Promise<TestPki> {
  const dir = tempDir('gauntlet-pki-');
  const { manifest } = await ensurePki({ dir: dir.path, hosts });
  return {
    dir,
    manifest,
    path: (name) => join(dir.path, name),
    read: (name) => readFileSync(join(dir.path, name), 'utf8'),
  };
}

import { isAbsolute, relative } from 'node:path';
import { ensurePki } from '../pki/ensure-pki.js';
import { PKI_FILES } from '../pki/layout.js';
import { formatDuration } from '../util/duration.js';
import { EXIT } from '../util/errors.js';
import type { CommandIO } from './io.js';

export interface CertsArgs {
  out: string;
  hosts: string[];
  force: boolean;
}

/** `gauntlet certs`: writes (or reuses) the test PKI and prints what it did and how long it took. */
export async function certsCommand(args: CertsArgs, io: CommandIO): Promise<number> {
  const started = performance.now();
  const result = await ensurePki({ dir: args.out, hosts: args.hosts, force: args.force });
  const elapsed = formatDuration(performance.now() - started);
  const fromCwd = relative(process.cwd(), result.dir);
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? result.dir : fromCwd;
  if (result.action === 'reused') {
    io.stdout.write(`reused the PKI in ${shown}: ${result.reason} (--force to regenerate)\n`);
  } else {
    const count = Object.keys(result.manifest.files).length + 1;
    io.stdout.write(`wrote ${count} files to ${shown} in ${elapsed} (${result.reason}); valid until ${result.manifest.usableUntil}\n`);
  }
  io.stdout.write(`hosts: ${result.manifest.hosts.join(', ')}; target profile: ${shown}/${PKI_FILES.profile}\n`);
  return EXIT.ok;
}

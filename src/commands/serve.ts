import { mtlsOptionsFromPki } from '../reference/mtls/material.js';
import type { MtlsMode } from '../reference/mtls/types.js';
import { FLAWS } from '../reference/server/flaws.js';
import { createReferenceServer } from '../reference/server/create-server.js';
import { EXIT, GauntletError } from '../util/errors.js';
import type { CommandIO } from './io.js';
import { serveKeyOptions, type ServeKeyArgs } from './serve-keys.js';

export function listFlaws(io: CommandIO): number {
  const width = Math.max(...FLAWS.map((f) => f.name.length));
  for (const flaw of FLAWS) {
    const over = flaw.observableOver ? ` (over ${flaw.observableOver.toUpperCase()} only)` : '';
    io.stdout.write(`${flaw.name.padEnd(width)}  ${flaw.description}\n${' '.repeat(width)}  caught by: ${flaw.caughtBy.join(', ')}${over}\n`);
  }
  return EXIT.ok;
}

/** Runs the reference target until SIGINT or SIGTERM, then drains in-flight requests and exits. */
export async function serveCommand(
  args: { port: number; host: string; flaw: string[]; pki?: string; mtlsMode?: MtlsMode; keys: ServeKeyArgs },
  io: CommandIO,
): Promise<number> {
  const keys = serveKeyOptions(args.keys, io);
  const mtls = args.pki ? mtlsFrom(args.pki, args.mtlsMode) : undefined;
  const server = await createReferenceServer({ port: args.port, host: args.host, flaws: args.flaw, mtls, keys });
  io.stdout.write(`${server.url}\n`);
  const protections = [mtls && `client certificates ${mtls.mode ?? 'required'}`, keys && `API keys required (store: ${keys.dbPath})`].filter(Boolean).join(', ');
  io.stderr.write(`reference server listening${args.flaw.length ? ` with flaws: ${args.flaw.join(', ')}` : ''}${protections ? `; ${protections}` : ''}; Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stderr.write('shutting down: draining in-flight requests\n');
  await server.close();
  return EXIT.ok;
}

function mtlsFrom(dir: string, mode: MtlsMode = 'required') {
  try {
    return mtlsOptionsFromPki(dir, mode);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new GauntletError('E_USAGE', `--pki ${dir}: not a PKI written by gauntlet certs (${reason}); run: gauntlet certs --out ${dir}`);
  }
}

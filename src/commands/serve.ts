import { FLAWS } from '../reference/server/flaws.js';
import { createReferenceServer } from '../reference/server/create-server.js';
import { EXIT } from '../util/errors.js';
import type { CommandIO } from './io.js';

export function listFlaws(io: CommandIO): number {
  const width = Math.max(...FLAWS.map((f) => f.name.length));
  for (const flaw of FLAWS) {
    const over = flaw.observableOver ? ` (over ${flaw.observableOver.toUpperCase()} only)` : '';
    io.stdout.write(`${flaw.name.padEnd(width)}  ${flaw.description}\n${' '.repeat(width)}  caught by: ${flaw.caughtBy.join(', ')}${over}\n`);
  }
  return EXIT.ok;
}

/** Runs the reference target until SIGINT or SIGTERM, then drains in-flight requests and exits. */
export async function serveCommand(args: { port: number; host: string; flaw: string[] }, io: CommandIO): Promise<number> {
  const server = await createReferenceServer({ port: args.port, host: args.host, flaws: args.flaw });
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(`reference server listening${args.flaw.length ? ` with flaws: ${args.flaw.join(', ')}` : ''}; Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stderr.write('shutting down: draining in-flight requests\n');
  await server.close();
  return EXIT.ok;
}

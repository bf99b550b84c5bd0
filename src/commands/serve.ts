import cluster from 'node:cluster';
import { createLimiterStore } from '../reference/limiters/create-store.js';
import type { Limiter } from '../reference/limiters/limiter.js';
import { mtlsOptionsFromPki } from '../reference/mtls/material.js';
import type { MtlsMode } from '../reference/mtls/types.js';
import { FLAWS } from '../reference/server/flaws.js';
import { createReferenceServer } from '../reference/server/create-server.js';
import { DEMO_CORS } from '../demo/protections.js';
import { EXIT, GauntletError } from '../util/errors.js';
import { redactUrl } from '../util/redact-url.js';
import type { CommandIO } from './io.js';
import { runClusterPrimary } from './serve-cluster.js';
import { serveKeyOptions, type ServeKeyArgs } from './serve-keys.js';
import { parseServeLimiter, type ServeLimiterArgs } from './serve-limiter-options.js';

export function listFlaws(io: CommandIO): number {
  const width = Math.max(...FLAWS.map((f) => f.name.length));
  for (const flaw of FLAWS) {
    const caught = flaw.caughtBy.length ? flaw.caughtBy.join(', ') : '(no built-in scenario)';
    const over = flaw.observableOver ? ` (over ${flaw.observableOver.toUpperCase()} only)` : '';
    const audit = flaw.caughtByOpenApi?.length ? `\n${' '.repeat(width)}  caught by the audit init --openapi writes: ${flaw.caughtByOpenApi.join(', ')}` : '';
    io.stdout.write(`${flaw.name.padEnd(width)}  ${flaw.description}\n${' '.repeat(width)}  caught by: ${caught}${over}${audit}\n`);
  }
  return EXIT.ok;
}

/** What --protections turns on: the demo's headers, CORS and validation (signing, versioning and IP rules stay off). */
const SERVE_PROTECTIONS = {
  securityHeaders: {},
  cors: { ...DEMO_CORS },
  validation: { maxBodyBytes: 64 * 1024, maxDepth: 32 },
};

export interface ServeArgs extends ServeLimiterArgs {
  port: number;
  host: string;
  pki?: string;
  mtlsMode?: MtlsMode;
  keys: ServeKeyArgs;
  /** Security headers, CORS for the demo's origins, and request-body validation, as the demo serves them. */
  protections?: boolean;
}

/**
 * Runs the reference target until SIGINT or SIGTERM, then drains in-flight requests and exits. With --workers N
 * the primary process forks N workers sharing the port (node:cluster) and prints the URL once all listen.
 */
export async function serveCommand(args: ServeArgs, io: CommandIO): Promise<number> {
  const limiterOptions = parseServeLimiter(args);
  const mtls = args.pki ? mtlsFrom(args.pki, args.mtlsMode) : undefined;
  if (args.workers > 1 && cluster.isPrimary) return runClusterPrimary(args.workers, io);

  let limiter: Limiter | undefined;
  const worker = cluster.isWorker ? `worker ${cluster.worker?.id}: ` : '';
  const log = (message: string) => io.stderr.write(`${worker}${message}\n`);
  if (limiterOptions) {
    const created = await createLimiterStore(limiterOptions.config, new Set(args.flaws));
    limiter = created.limiter;
    if (!created.connected) log(`Redis at ${redactUrl(limiterOptions.config.redisUrl ?? '')} is not answering yet; failing ${limiterOptions.failureMode} until it does`);
  }
  const keys = serveKeyOptions(args.keys, io);
  const server = await createReferenceServer({
    port: args.port,
    host: args.host,
    flaws: args.flaws,
    mtls,
    keys,
    limiter: limiter && limiterOptions ? { limiter, headers: limiterOptions.headers, failureMode: limiterOptions.failureMode, log } : undefined,
    ...(args.protections ? SERVE_PROTECTIONS : {}),
  });
  if (!cluster.isWorker) {
    io.stdout.write(`${server.url}\n`);
    const protections = [
      mtls && `client certificates ${mtls.mode ?? 'required'}`,
      keys && `API keys required (store: ${keys.dbPath})`,
      args.protections && 'security headers, CORS for the demo origins and body validation',
      limiter && `limiting with ${limiter.algorithm} (${limiter.policies.map((p) => `${p.limit} per ${p.windowMs} ms`).join(', ')})`,
    ].filter(Boolean);
    io.stderr.write(
      `reference server listening${protections.length ? `: ${protections.join('; ')}` : ''}${args.flaws.length ? ` with flaws: ${args.flaws.join(', ')}` : ''}; Ctrl-C to stop\n`,
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // A worker whose primary is gone has no one to answer to.
    if (cluster.isWorker) process.once('disconnect', resolve);
  });
  if (!cluster.isWorker) io.stderr.write('shutting down: draining in-flight requests\n');
  await server.close();
  await limiter?.close();
  // A worker's IPC channel keeps it alive; dropping it lets the process end once everything is closed.
  if (cluster.isWorker && process.connected) process.disconnect();
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

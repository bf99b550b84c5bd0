import { resolve } from 'node:path';
import { LocalWorkerTransport } from '../distributed/local-transport.js';
import { RedisWorkerTransport } from '../distributed/redis-transport.js';
import { MessageSeal } from '../distributed/message-seal.js';
import type { WorkerTransport } from '../distributed/transport.js';
import { runWorker } from '../distributed/worker.js';
import { GauntletError } from '../util/errors.js';
import { onStopSignals } from '../util/stop-signals.js';
import type { CommandIO } from './io.js';

export interface WorkerArgs {
  coordinator?: string;
  runId: string;
  /** Started by `run --workers N` on this machine: the plan comes over the IPC channel. */
  local: boolean;
  segment?: string;
  sourceAddress?: string;
  allowLoad: boolean;
  baseDir?: string;
  joinTimeoutMs: number;
  samplesFile?: string;
}

/**
 * `gauntlet worker`: joins a coordinated run and generates its share of every load check. Ctrl-C or SIGTERM stops
 * the load at once and reports what was measured; the coordinator's report says the worker was lost.
 */
export async function workerCommand(args: WorkerArgs, io: CommandIO): Promise<number> {
  if (!args.local && !args.coordinator) throw new GauntletError('E_USAGE', 'worker needs --coordinator redis://host:6379 (the Redis the coordinating run uses)');
  const transport: WorkerTransport = args.local ? new LocalWorkerTransport() : await RedisWorkerTransport.open(args.coordinator!, args.runId, { withinMs: args.joinTimeoutMs, seal: MessageSeal.fromEnv(process.env) });
  const controller = new AbortController();
  const removeStop = onStopSignals(() => controller.abort());
  try {
    return await runWorker(transport, {
      segment: args.segment,
      sourceAddress: args.sourceAddress,
      allowLoad: args.allowLoad,
      baseDir: resolve(args.baseDir ?? '.'),
      env: process.env,
      joinTimeoutMs: args.joinTimeoutMs,
      samplesFile: args.samplesFile,
      signal: controller.signal,
      say: (line) => io.stderr.write(`gauntlet worker: ${line}\n`),
    });
  } finally {
    removeStop();
    await transport.close();
  }
}

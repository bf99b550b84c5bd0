import cluster, { type Worker } from 'node:cluster';
import { EXIT } from '../util/errors.js';

/** What cluster's 'listening' event reports. */
interface WorkerAddress {
  address: string;
  port: number;
  addressType: number | string;
}
import type { CommandIO } from './io.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const MAX_RESTARTS = 10;

/**
 * The primary of `serve --workers N`: forks N workers running the same command (they share the listening port,
 * connections spread round-robin), prints the URL once every worker listens, replaces a worker that dies
 * (a bounded number of times), and on SIGINT/SIGTERM stops them all, each draining its requests.
 */
export async function runClusterPrimary(workers: number, io: CommandIO): Promise<number> {
  let stopping = false;
  let restarts = 0;
  const fork = (): Worker => cluster.fork();

  const listening = new Promise<WorkerAddress>((resolve, reject) => {
    let count = 0;
    const timer = setTimeout(() => reject(new Error(`workers did not all listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onListening = (_worker: Worker, address: WorkerAddress) => {
      if (++count < workers) return;
      clearTimeout(timer);
      cluster.off('listening', onListening);
      resolve(address);
    };
    cluster.on('listening', onListening);
    cluster.once('exit', (_worker, code) => {
      if (count < workers) {
        clearTimeout(timer);
        reject(new Error(`a worker exited with code ${code} before listening`));
      }
    });
  });
  for (let i = 0; i < workers; i++) fork();

  let address: WorkerAddress;
  try {
    address = await listening;
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    await stopAll();
    return EXIT.findings;
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    io.stderr.write(`worker ${worker.id} exited (${signal ?? code}); ${restarts < MAX_RESTARTS ? 'starting another' : 'not restarting: too many restarts'}\n`);
    if (restarts++ < MAX_RESTARTS) fork();
  });

  const host = address.addressType === 6 || address.addressType === 'udp6' ? `[${address.address}]` : address.address;
  io.stdout.write(`http://${host}:${address.port}\n`);
  io.stderr.write(`reference server listening with ${workers} workers; Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  io.stderr.write('shutting down: draining in-flight requests in every worker\n');
  await stopAll();
  return EXIT.ok;

  async function stopAll(): Promise<void> {
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import type { FromWorker, PlanMessage, ToWorker } from './protocol.js';
import type { CoordinatorTransport, SharedClock, WorkerTransport } from './transport.js';

const MACHINE_CLOCK: SharedClock = { now: () => Date.now() };

/** The last lines a local worker wrote, to say why it died. */
const KEPT_OUTPUT_CHARS = 2000;

/**
 * Workers as processes on this machine (`run --workers N` without a coordinator URL), each a `gauntlet worker
 * --local` speaking over its IPC channel: a user on one big machine uses all its cores. A process that exits is
 * known gone at once.
 */
export class LocalCoordinatorTransport implements CoordinatorTransport {
  readonly clock = MACHINE_CLOCK;
  readonly description: string;
  private readonly children = new Map<ChildProcess, { worker?: string; output: string }>();
  private messageHandler: (message: FromWorker) => void = () => {};
  private goneHandler: (worker: string, reason: string) => void = () => {};
  private plan?: PlanMessage;

  constructor(count: number, options: { sourceAddresses?: string[]; env?: NodeJS.ProcessEnv; baseDir?: string } = {}) {
    this.description = `${count} local worker process${count === 1 ? '' : 'es'}`;
    const bin = join(packageRoot(), 'bin', 'gauntlet.js');
    for (let i = 0; i < count; i++) {
      const args = ['worker', '--local', ...(options.sourceAddresses?.[i] ? ['--source-address', options.sourceAddresses[i]!] : []), ...(options.baseDir ? ['--base-dir', options.baseDir] : [])];
      // Its own process group: a Ctrl-C in the terminal reaches the coordinator, which stops its workers itself.
      const child = fork(bin, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env ?? process.env, detached: true });
      const entry: { worker?: string; output: string } = { output: '' };
      this.children.set(child, entry);
      const keep = (chunk: Buffer) => (entry.output = (entry.output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS));
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.on('message', (message: FromWorker) => {
        if (message.type === 'hello') entry.worker = message.worker;
        this.messageHandler(message);
      });
      child.on('exit', (code, signal) => {
        this.children.delete(child);
        const said = entry.output.trim().split('\n').slice(-2).join(' / ');
        this.goneHandler(entry.worker ?? `local worker pid ${child.pid}`, `its process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${said ? ` (it said: ${said})` : ''}`);
      });
      child.on('error', () => {});
      if (this.plan) child.send(this.plan);
    }
  }

  async publish(plan: PlanMessage): Promise<void> {
    this.plan = plan;
    for (const child of this.children.keys()) if (child.connected) child.send(plan);
  }

  async send(worker: string, message: ToWorker): Promise<void> {
    for (const [child, entry] of this.children) if (entry.worker === worker && child.connected) child.send(message);
  }

  onMessage(handler: (message: FromWorker) => void): void {
    this.messageHandler = handler;
  }

  onGone(handler: (worker: string, reason: string) => void): void {
    this.goneHandler = handler;
  }

  /** Says goodbye, then gives each process a moment before it is killed: no worker outlives its run. */
  async close(): Promise<void> {
    const exits = [...this.children.keys()].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.plan && child.connected) child.send({ type: 'bye', run: this.plan.run } satisfies ToWorker);
      else child.kill('SIGTERM');
    }));
    this.goneHandler = () => {};
    await Promise.all(exits);
  }
}

/** A local worker's end: the IPC channel to the `run` that started it. */
export class LocalWorkerTransport implements WorkerTransport {
  readonly clock = MACHINE_CLOCK;
  private readonly queue: ToWorker[] = [];
  private waiting?: () => void;
  private disconnected = false;

  constructor() {
    if (!process.send) throw new Error('worker --local runs only as a process started by gauntlet run --workers');
    process.on('message', (message: ToWorker) => {
      this.queue.push(message);
      this.waiting?.();
    });
    process.on('disconnect', () => {
      this.disconnected = true;
      this.waiting?.();
    });
  }

  async plan(timeoutMs: number, signal: AbortSignal): Promise<PlanMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((m) => m.type === 'plan');
      if (index >= 0) return this.queue.splice(index, 1)[0] as PlanMessage;
      if (this.disconnected || signal.aborted || Date.now() >= deadline) throw new Error(this.disconnected ? 'the run that started this worker is gone' : 'no plan arrived in time');
      await this.wait(Math.min(1000, deadline - Date.now()));
    }
  }

  async send(message: FromWorker): Promise<void> {
    if (!this.disconnected) process.send!(message);
  }

  async next(_worker: string, timeoutMs: number): Promise<ToWorker | undefined> {
    if (this.queue.length === 0 && !this.disconnected) await this.wait(timeoutMs);
    return this.queue.shift();
  }

  async coordinatorAlive(): Promise<boolean> {
    return !this.disconnected;
  }

  async close(): Promise<void> {
    if (!this.disconnected) process.disconnect?.();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiting = () => {
        this.waiting = undefined;
        done();
      };
    });
  }
}

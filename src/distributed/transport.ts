import type { FromWorker, PlanMessage, ToWorker } from './protocol.js';

/** Milliseconds on a clock every process of the run reads alike (Redis's TIME; for local workers, this machine's). */
export interface SharedClock {
  now(): number;
}

/** The coordinator's end of the wire: Redis lists, or the IPC channels of local worker processes. */
export interface CoordinatorTransport {
  readonly clock: SharedClock;
  /** What the workers connect through, for messages: `3 local processes`, `redis://host:6379 (run nightly)`. */
  readonly description: string;
  /** Makes the plan available to every worker, those already there and those yet to come. */
  publish(plan: PlanMessage): Promise<void>;
  send(worker: string, message: ToWorker): Promise<void>;
  /** Every message from a worker, in the order each worker sent them. */
  onMessage(handler: (message: FromWorker) => void): void;
  /** A worker the transport itself knows is gone (a local process that exited), with why. */
  onGone(handler: (worker: string, reason: string) => void): void;
  close(): Promise<void>;
}

/** A worker's end of the wire. Every wait is bounded. */
export interface WorkerTransport {
  readonly clock: SharedClock;
  /** Waits for the coordinator's plan, at most `timeoutMs`. */
  plan(timeoutMs: number, signal: AbortSignal): Promise<PlanMessage>;
  send(message: FromWorker): Promise<void>;
  /** The next message for this worker, or undefined after `timeoutMs` with none. */
  next(worker: string, timeoutMs: number): Promise<ToWorker | undefined>;
  /** Whether the coordinator of `run` is still there. */
  coordinatorAlive(run: string): Promise<boolean>;
  close(): Promise<void>;
}

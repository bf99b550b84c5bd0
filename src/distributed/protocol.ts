import type { LoadJob, LoadOutcomeRun } from '../engine/load-engine.js';
import type { TallyData } from '../engine/load-tally.js';
import type { ProfileSkeleton, SecretFingerprints } from './profile-skeleton.js';

/** Bumped when a message changes shape: a worker of another version refuses to join rather than misread a plan. */
export const PROTOCOL_VERSION = 1;

/** A worker reports its tally this often while it loads, and says it is alive this often when idle. */
export const TICK_MS = 1000;
/** A worker silent this long is lost (its process died, its machine went away). */
export const LOST_AFTER_MS = 4000;
/** How far ahead of now a job's start instant is set, so every worker has it before it comes. */
export const START_DELAY_MS = { local: 500, redis: 1500 };
/** After a stop, how long workers get to report what they measured (the bound: all stopped within 2 s). */
export const STOP_GRACE_MS = 2000;

/** The coordinator's plan: published once, read by every worker before it says it is ready. No secret is in it. */
export interface PlanMessage {
  type: 'plan';
  protocol: number;
  /** A random nonce for this run: messages with another belong to an earlier run and are ignored. */
  run: string;
  workers: number;
  profile: ProfileSkeleton;
  salt: string;
  fingerprints: SecretFingerprints;
}

export interface JobMessage {
  type: 'job';
  run: string;
  jobId: string;
  checkId: string;
  job: LoadJob;
  /** `i/N`: the worker's part of the job. */
  segment: string;
  /** When to start, in ms on the shared clock (Redis's TIME, or this machine's clock for local workers). */
  startAt: number;
}

export interface StopMessage {
  type: 'stop';
  run: string;
  jobId: string;
  reason: string;
}

export interface ByeMessage {
  type: 'bye';
  run: string;
}

export type ToWorker = PlanMessage | JobMessage | StopMessage | ByeMessage;

export interface HelloMessage {
  type: 'hello';
  run: string;
  worker: string;
  protocol: number;
  host: string;
  pid: number;
  /** The segment it was started for (a Kubernetes Job's completion index), if any. */
  segment?: string;
  sourceAddress?: string;
}

/** The worker read the plan: its secrets match (`ready`), or why it cannot take part. */
export interface ReadyMessage {
  type: 'ready';
  run: string;
  worker: string;
}

export interface RefusedMessage {
  type: 'refused';
  run: string;
  worker: string;
  code: string;
  message: string;
}

/** What the worker measured since its last tick: merged on the coordinator as it comes. */
export interface TickMessage {
  type: 'tick';
  run: string;
  worker: string;
  jobId: string;
  seq: number;
  tally: TallyData;
}

export interface DoneMessage {
  type: 'done';
  run: string;
  worker: string;
  jobId: string;
  seq: number;
  tally: TallyData;
  durationMs: number;
  startedAt: string;
  stoppedBy: LoadOutcomeRun['stoppedBy'];
}

export interface JobFailedMessage {
  type: 'job-failed';
  run: string;
  worker: string;
  jobId: string;
  code: string;
  message: string;
}

export interface AliveMessage {
  type: 'alive';
  run: string;
  worker: string;
}

export type FromWorker = HelloMessage | ReadyMessage | RefusedMessage | TickMessage | DoneMessage | JobFailedMessage | AliveMessage;

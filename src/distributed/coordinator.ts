import { randomBytes } from 'node:crypto';
import type { LoadContext, LoadEngine, LoadJob, LoadOutcomeRun, LoadShare } from '../engine/load-engine.js';
import { formatSegment, parseSegment, splitLoad, type Segment } from '../engine/load-segment.js';
import { LoadTally } from '../engine/load-tally.js';
import type { SecretRegistry } from '../results/secrets.js';
import type { TargetProfile } from '../scenario/types.js';
import { formatDuration } from '../util/duration.js';
import { GauntletError } from '../util/errors.js';
import { fingerprintSecrets, skeletonOf } from './profile-skeleton.js';
import { LOST_AFTER_MS, PROTOCOL_VERSION, START_DELAY_MS, STOP_GRACE_MS, TICK_MS, type DoneMessage, type FromWorker, type PlanMessage } from './protocol.js';
import type { CoordinatorTransport } from './transport.js';

interface Worker {
  id: string;
  host: string;
  pid: number;
  segment?: Segment;
  sourceAddress?: string;
  ready: boolean;
  lastSeen: number;
  gone?: string;
}

/** What the coordinator is waiting for: the gathering of workers, or one job. */
interface Listener {
  message(message: FromWorker): void;
  gone(worker: Worker, reason: string): void;
}

export interface CoordinatorOptions {
  profile: TargetProfile;
  secrets: SecretRegistry;
  workers: number;
  joinTimeoutMs: number;
  signal: AbortSignal;
  /** Told once the workers are all there, and of each lost one: lines for stderr. */
  say(line: string): void;
}

/**
 * Drives load workers through a transport: publishes the plan (the profile without its secrets, and their
 * fingerprints), waits for N workers to read it and say their secrets match, then runs each load check's job
 * across them from one start instant, merging what they report as it comes and judging abort conditions on the
 * merged data. Non-load checks never reach it: the coordinating `run` sends those itself.
 */
export class Coordinator implements LoadEngine {
  private readonly workers = new Map<string, Worker>();
  private listener?: Listener;
  private readonly runNonce = randomBytes(12).toString('base64url');
  private jobs = 0;
  private readonly watchdog: NodeJS.Timeout;

  private constructor(
    private readonly transport: CoordinatorTransport,
    private readonly options: CoordinatorOptions,
  ) {
    transport.onMessage((message) => this.receive(message));
    transport.onGone((id, reason) => {
      const worker = this.workers.get(id);
      if (worker && !worker.gone) this.lose(worker, reason);
    });
    // Over Redis a dead worker is only silence: noticed here.
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const worker of this.workers.values()) {
        if (!worker.gone && now - worker.lastSeen > LOST_AFTER_MS) this.lose(worker, `silent for ${formatDuration(now - worker.lastSeen)} (its process died, or its machine or network went away)`);
      }
    }, 500);
  }

  /** Publishes the plan and waits until `workers` workers are ready, or says who is missing. */
  static async start(transport: CoordinatorTransport, options: CoordinatorOptions): Promise<Coordinator> {
    const coordinator = new Coordinator(transport, options);
    try {
      await coordinator.gather();
    } catch (error) {
      await coordinator.close();
      throw error;
    }
    return coordinator;
  }

  private async gather(): Promise<void> {
    const { profile, workers: expected, joinTimeoutMs, signal } = this.options;
    const salt = randomBytes(16).toString('base64');
    const skeleton = skeletonOf(profile);
    const plan: PlanMessage = { type: 'plan', protocol: PROTOCOL_VERSION, run: this.runNonce, workers: expected, profile: skeleton, salt, fingerprints: fingerprintSecrets(profile, skeleton, salt) };
    assertNoSecret(plan, this.options.secrets, 'the plan');
    await this.transport.publish(plan);

    await new Promise<void>((resolve, reject) => {
      const fail = (error: GauntletError) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.listener = undefined;
        reject(error);
      };
      const onAbort = () => fail(new GauntletError('E_INTERRUPTED', `interrupted while waiting for load workers (${this.readyCount()} of ${expected} ready)`));
      const timer = setTimeout(() => fail(this.missingError(expected, joinTimeoutMs)), joinTimeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.listener = {
        message: (message) => {
          if (message.type === 'refused') {
            const worker = this.workers.get(message.worker);
            fail(new GauntletError('E_WORKER_REFUSED', `load worker ${worker ? describe(worker) : message.worker} cannot take part: ${message.message} [${message.code}]`));
          } else if (message.type === 'hello' || message.type === 'ready') {
            const problem = this.placeProblem(expected);
            if (problem) fail(problem);
            else if (this.readyCount() === expected) {
              clearTimeout(timer);
              signal.removeEventListener('abort', onAbort);
              this.listener = undefined;
              resolve();
            }
          }
        },
        gone: (worker, reason) => fail(new GauntletError('E_WORKER_LOST', `load worker ${describe(worker)} was lost before the run started: ${reason}`)),
      };
    });
    this.assignSegments(expected);
    const list = [...this.live()].map((w) => `${formatSegment(w.segment!)} ${describe(w)}`).join(', ');
    this.options.say(`${expected} load worker${expected === 1 ? '' : 's'} ready over ${this.transport.description}: ${list}`);
  }

  async run(job: LoadJob, context: LoadContext): Promise<LoadOutcomeRun> {
    assertNoSecret(job, this.options.secrets, 'the load job');
    const live = [...this.live()];
    if (live.length === 0) throw new GauntletError('E_WORKER_LOST', 'every load worker was lost earlier in the run, so no load can be generated');
    const notes: string[] = [];
    const expected = this.options.workers;
    // All there: the segments they were given. Some lost earlier: the load is split among those left.
    const parts = live.length === expected ? live.map((w) => ({ worker: w, segment: w.segment! })) : live.map((w, i) => ({ worker: w, segment: { index: i + 1, count: live.length } }));
    if (live.length !== expected) notes.push(`${expected - live.length} of ${expected} workers were lost earlier: the load was split among the ${live.length} left`);
    for (const part of parts) splitLoad(job, part.segment);

    const jobId = `job-${++this.jobs}`;
    const checkId = job.checkId ?? jobId;
    const startAt = this.transport.clock.now() + (this.transport.description.includes('local') ? START_DELAY_MS.local : START_DELAY_MS.redis);
    const merged = new LoadTally();
    const shares = new Map(parts.map(({ worker, segment }) => [worker.id, { worker, segment, tally: new LoadTally(), done: undefined as DoneMessage | undefined, failed: undefined as string | undefined }]));

    return new Promise<LoadOutcomeRun>((resolve) => {
      let stoppedBy: LoadOutcomeRun['stoppedBy'] | undefined;
      let abortReason: string | undefined;
      let finishing: NodeJS.Timeout | undefined;
      const stopAll = (reason: string) => {
        for (const { worker, done } of shares.values()) if (!done && !worker.gone) void this.transport.send(worker.id, { type: 'stop', run: this.runNonce, jobId, reason }).catch(() => {});
        // What stopped workers measured comes within the grace; after it, the job ends with what arrived.
        finishing ??= setTimeout(finish, STOP_GRACE_MS);
      };
      const onAbort = () => {
        stoppedBy ??= 'interrupted';
        stopAll('the coordinator was interrupted');
      };
      const elapsed = () => Math.max(0, this.transport.clock.now() - startAt);
      const tick = setInterval(() => {
        context.progress(merged.count, elapsed());
        if (stoppedBy) return;
        const reason = context.abortWhen?.(merged, elapsed());
        if (reason) {
          stoppedBy = 'aborted';
          abortReason = reason;
          stopAll(`abort condition: ${reason}`);
        }
      }, TICK_MS);
      const deadline = setTimeout(() => {
        for (const share of shares.values()) if (!share.done && !share.failed) this.lose(share.worker, `no final report ${formatDuration(job.durationMs + job.timeoutMs)} after the job's start`);
      }, startAt - this.transport.clock.now() + job.durationMs + job.timeoutMs + STOP_GRACE_MS + 2000);
      context.signal.addEventListener('abort', onAbort, { once: true });

      const settled = () => [...shares.values()].every((s) => s.done || s.failed || s.worker.gone);
      const finish = () => {
        clearInterval(tick);
        clearTimeout(deadline);
        clearTimeout(finishing);
        context.signal.removeEventListener('abort', onAbort);
        this.listener = undefined;
        const loadShares: LoadShare[] = [...shares.values()].map(({ worker, segment, tally, failed, done }) => ({
          worker: describe(worker),
          segment: formatSegment(segment),
          sourceAddress: worker.sourceAddress,
          responses: tally.count,
          durationMs: done?.durationMs,
          tally: tally.toData(),
          lost: failed ?? worker.gone,
        }));
        const dones = [...shares.values()].flatMap((s) => (s.done ? [s.done] : []));
        const worst = dones.find((d) => d.stoppedBy === 'deadline') ?? dones.find((d) => d.stoppedBy === 'interrupted');
        resolve({
          tally: merged,
          durationMs: Math.max(elapsed() > job.durationMs ? job.durationMs : elapsed(), ...dones.map((d) => d.durationMs)),
          startedAt: new Date(startAt).toISOString(),
          stoppedBy: stoppedBy ?? (loadShares.some((s) => s.lost) ? 'worker-lost' : worst?.stoppedBy ?? dones[0]?.stoppedBy ?? 'duration'),
          abortReason,
          shares: loadShares,
          notes,
        });
      };

      this.listener = {
        message: (message) => {
          if (!('jobId' in message) || message.jobId !== jobId) return;
          const share = shares.get(message.worker);
          if (!share) return;
          if (message.type === 'tick' || message.type === 'done') {
            merged.merge(message.tally);
            share.tally.merge(message.tally);
          }
          if (message.type === 'done') share.done = message;
          if (message.type === 'job-failed') {
            share.failed = `${message.message} [${message.code}]`;
            stoppedBy ??= 'worker-lost';
            stopAll(`worker ${describe(share.worker)} failed`);
          }
          if (settled()) finish();
        },
        gone: (worker) => {
          if (!shares.has(worker.id)) return;
          stoppedBy ??= 'worker-lost';
          stopAll(`worker ${describe(worker)} was lost`);
          if (settled()) finish();
        },
      };
      for (const { worker, segment } of parts) {
        void this.transport.send(worker.id, { type: 'job', run: this.runNonce, jobId, checkId, job, segment: formatSegment(segment), startAt }).catch((error) => this.lose(worker, `could not be sent its job: ${(error as Error).message}`));
      }
      if (context.signal.aborted) onAbort();
    });
  }

  /** Tells every worker the run is over and closes the transport (local worker processes exit). */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    for (const worker of this.live()) await this.transport.send(worker.id, { type: 'bye', run: this.runNonce }).catch(() => {});
    await this.transport.close();
  }

  private receive(message: FromWorker): void {
    if (message.run !== this.runNonce) return;
    let worker = this.workers.get(message.worker);
    if (message.type === 'hello') {
      if (message.protocol !== PROTOCOL_VERSION) {
        this.listener?.message({ type: 'refused', run: this.runNonce, worker: message.worker, code: 'E_PROTOCOL', message: `it speaks protocol ${message.protocol}, this coordinator ${PROTOCOL_VERSION}: run the same gauntlet version everywhere` });
        return;
      }
      if (!worker) {
        worker = { id: message.worker, host: message.host, pid: message.pid, sourceAddress: message.sourceAddress, ready: false, lastSeen: Date.now() };
        if (message.segment) worker.segment = parseSegment(message.segment, 'the worker\'s --segment');
        this.workers.set(worker.id, worker);
      }
    }
    if (!worker || worker.gone) return;
    worker.lastSeen = Date.now();
    if (message.type === 'ready') worker.ready = true;
    this.listener?.message(message);
  }

  private lose(worker: Worker, reason: string): void {
    if (worker.gone) return;
    worker.gone = reason;
    this.options.say(`load worker ${describe(worker)} lost: ${reason}`);
    this.listener?.gone(worker, reason);
  }

  private *live(): Iterable<Worker> {
    for (const worker of this.workers.values()) if (worker.ready && !worker.gone) yield worker;
  }

  private readyCount(): number {
    return [...this.live()].length;
  }

  /** More workers than asked for, or two claiming one segment, or a segment of another count: refused at once. */
  private placeProblem(expected: number): GauntletError | undefined {
    const all = [...this.workers.values()].filter((w) => !w.gone);
    if (all.length > expected) return new GauntletError('E_TOO_MANY_WORKERS', `${all.length} load workers joined and this run expects ${expected} (--workers): ${all.map(describe).join(', ')}`);
    for (const worker of all) {
      if (!worker.segment) continue;
      if (worker.segment.count !== expected) return new GauntletError('E_SEGMENT', `load worker ${describe(worker)} was started for segment ${formatSegment(worker.segment)}, and this run has ${expected} workers`);
      const twin = all.find((w) => w !== worker && w.segment?.index === worker.segment!.index);
      if (twin) return new GauntletError('E_SEGMENT', `load workers ${describe(worker)} and ${describe(twin)} both claim segment ${formatSegment(worker.segment)}`);
    }
    return undefined;
  }

  /** Workers started for a segment keep it; the others take the free ones in the order they joined. */
  private assignSegments(expected: number): void {
    const taken = new Set([...this.live()].flatMap((w) => (w.segment ? [w.segment.index] : [])));
    let next = 1;
    for (const worker of this.live()) {
      if (worker.segment) continue;
      while (taken.has(next)) next++;
      worker.segment = { index: next, count: expected };
      taken.add(next);
    }
  }

  private missingError(expected: number, joinTimeoutMs: number): GauntletError {
    const ready = [...this.live()];
    const waiting = [...this.workers.values()].filter((w) => !w.ready && !w.gone);
    const claimed = new Set(ready.flatMap((w) => (w.segment ? [w.segment.index] : [])));
    const missingSegments = ready.some((w) => w.segment) ? Array.from({ length: expected }, (_, i) => i + 1).filter((i) => !claimed.has(i)) : [];
    const who = ready.length ? `ready: ${ready.map(describe).join(', ')}` : 'none joined';
    const which = missingSegments.length ? `; missing segment${missingSegments.length === 1 ? '' : 's'} ${missingSegments.map((i) => `${i}/${expected}`).join(', ')}` : '';
    const stuck = waiting.length ? `; joined but not ready: ${waiting.map(describe).join(', ')}` : '';
    return new GauntletError('E_WORKERS_MISSING', `${ready.length} of ${expected} load workers ready after ${formatDuration(joinTimeoutMs)} over ${this.transport.description}: ${who}${which}${stuck}; nothing was sent`);
  }
}

function describe(worker: Pick<Worker, 'host' | 'pid' | 'sourceAddress'>): string {
  return `${worker.host} pid ${worker.pid}${worker.sourceAddress ? ` from ${worker.sourceAddress}` : ''}`;
}

/** The last guard: nothing written to the wire holds a secret the run knows of, in any encoding it knows. */
function assertNoSecret(value: unknown, secrets: SecretRegistry, what: string): void {
  const text = JSON.stringify(value);
  if (secrets.redactString(text) !== text) {
    throw new GauntletError('E_SECRET_IN_PLAN', `${what} for the load workers would carry a secret (a key written into a request or a profile header rather than under keys:): put it under keys: and name it in the request, so workers read it from their own environment`);
  }
}

import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { HttpClient } from '../engine/http-client.js';
import { runLoadJob } from '../engine/load-engine.js';
import { assertLoadAllowed } from '../engine/load-guard.js';
import { parseSegment, splitLoad } from '../engine/load-segment.js';
import { LoadTally } from '../engine/load-tally.js';
import { SecretRegistry } from '../results/secrets.js';
import type { TargetProfile } from '../scenario/types.js';
import { GauntletError } from '../util/errors.js';
import { profileFromSkeleton } from './profile-skeleton.js';
import { LOST_AFTER_MS, PROTOCOL_VERSION, TICK_MS, type JobMessage, type PlanMessage } from './protocol.js';
import type { WorkerTransport } from './transport.js';

export interface WorkerOptions {
  /** The segment this worker was started for (`i/N`), e.g. from a Kubernetes Job's completion index. */
  segment?: string;
  sourceAddress?: string;
  allowLoad: boolean;
  /** Where the profile's relative ${file:} references and key paths are read from. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  joinTimeoutMs: number;
  /** Also write every response (status, latency in µs, ms since the start) to this file, one CSV line each. */
  samplesFile?: string;
  signal: AbortSignal;
  say(line: string): void;
}

/** Exit codes of a worker: as the CLI's, so a Job's status reads the same. */
const EXIT = { done: 0, coordinatorLost: 1, refused: 2 };

/**
 * A load worker: reads the coordinator's plan, rebuilds the profile from its own environment (refusing if its
 * secrets differ from the coordinator's), says it is ready, then runs each job it is sent (its segment of a load
 * check, from the shared start instant) and reports what it measured every second. It keeps its own bounds: the
 * load guard (loopback only unless its own --allow-load), the load runner's time and count limits, and it stops
 * when the coordinator goes away.
 */
export async function runWorker(transport: WorkerTransport, options: WorkerOptions): Promise<number> {
  if (options.segment) parseSegment(options.segment);
  const plan = await transport.plan(options.joinTimeoutMs, options.signal);
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const run = plan.run;
  await transport.send({ type: 'hello', run, worker: id, protocol: PROTOCOL_VERSION, host: hostname(), pid: process.pid, segment: options.segment, sourceAddress: options.sourceAddress });

  let profile: TargetProfile;
  try {
    profile = prepare(plan, options);
  } catch (error) {
    const code = error instanceof GauntletError ? error.code : 'E_WORKER';
    const message = (error as Error).message;
    await transport.send({ type: 'refused', run, worker: id, code, message });
    options.say(`refused to join: ${message}`);
    return EXIT.refused;
  }
  await transport.send({ type: 'ready', run, worker: id });
  options.say(`joined run ${run.slice(0, 8)} as ${id}${options.segment ? ` for segment ${options.segment}` : ''}; waiting for jobs`);

  const secrets = new SecretRegistry();
  const http = new HttpClient(profile, { timeoutMs: profile.timeouts.requestMs, bodyCapBytes: 1 << 20 }, secrets);
  let current: { jobId: string; stop: AbortController; done: Promise<void> } | undefined;
  let lastSent = Date.now();
  let lastAliveCheck = Date.now();
  try {
    while (!options.signal.aborted) {
      const message = await transport.next(id, TICK_MS);
      if (message && message.run !== run) continue;
      if (message?.type === 'bye') break;
      if (message?.type === 'stop' && current?.jobId === message.jobId) current.stop.abort();
      if (message?.type === 'job') {
        await current?.done;
        const stop = new AbortController();
        current = { jobId: message.jobId, stop, done: runJob(message, { transport, http, id, run, stop, options }).finally(() => (lastSent = Date.now())) };
      }
      if (Date.now() - lastSent >= TICK_MS && !current?.stop.signal.aborted) {
        lastSent = Date.now();
        await transport.send({ type: 'alive', run, worker: id });
      }
      if (Date.now() - lastAliveCheck >= LOST_AFTER_MS) {
        lastAliveCheck = Date.now();
        if (!(await transport.coordinatorAlive(run))) {
          current?.stop.abort();
          await current?.done;
          options.say('the coordinator is gone: stopping');
          return EXIT.coordinatorLost;
        }
      }
    }
    current?.stop.abort();
    await current?.done;
    return EXIT.done;
  } finally {
    await http.close();
  }
}

function prepare(plan: PlanMessage, options: WorkerOptions): TargetProfile {
  if (plan.protocol !== PROTOCOL_VERSION) throw new GauntletError('E_PROTOCOL', `the coordinator speaks protocol ${plan.protocol}, this worker ${PROTOCOL_VERSION}: run the same gauntlet version everywhere`);
  if (options.segment && parseSegment(options.segment).count !== plan.workers) {
    throw new GauntletError('E_SEGMENT', `this worker was started for segment ${options.segment}, and the run has ${plan.workers} workers`);
  }
  const profile = profileFromSkeleton(plan.profile, { baseDir: options.baseDir, env: options.env, fingerprints: plan.fingerprints, salt: plan.salt });
  // The load guard holds on every worker, by its own flag: a coordinator cannot send a worker's load elsewhere.
  assertLoadAllowed([profile.baseUrl, ...profile.replicas], options.allowLoad, { what: 'load from this worker (it was started without --allow-load)' });
  return profile;
}

interface JobContext {
  transport: WorkerTransport;
  http: HttpClient;
  id: string;
  run: string;
  stop: AbortController;
  options: WorkerOptions;
}

/** One job: wait for the start instant, load, send the tally every second and the rest at the end. */
async function runJob(message: JobMessage, { transport, http, id, run, stop, options }: JobContext): Promise<void> {
  const { jobId } = message;
  const samples = options.samplesFile ? createWriteStream(options.samplesFile, { flags: 'a' }) : undefined;
  const tally = samples ? new SampledTally(samples, message.checkId) : new LoadTally();
  let seq = 0;
  const report = setInterval(() => void transport.send({ type: 'tick', run, worker: id, jobId, seq: seq++, tally: tally.drain() }).catch(() => {}), TICK_MS);
  try {
    const segment = parseSegment(message.segment);
    const job = { ...message.job, ...splitLoad(message.job, segment) };
    assertLoadAllowed([http.prepare(job.request).url.toString()], options.allowLoad, { what: 'load from this worker (it was started without --allow-load)' });
    const wait = message.startAt - transport.clock.now();
    options.say(`${message.checkId}: segment ${message.segment}, starting in ${Math.max(0, Math.round(wait))}ms`);
    if (wait > 0) await sleep(wait, stop.signal);
    const result = await runLoadJob(job, { http, signal: stop.signal, progress: () => {} }, { sourceAddress: options.sourceAddress, tally });
    clearInterval(report);
    await transport.send({ type: 'done', run, worker: id, jobId, seq: seq++, tally: tally.drain(), durationMs: result.durationMs, startedAt: result.startedAt, stoppedBy: result.stoppedBy });
    options.say(`${message.checkId}: segment ${message.segment}, ${result.stoppedBy}`);
  } catch (error) {
    clearInterval(report);
    const code = error instanceof GauntletError ? error.code : 'E_WORKER';
    await transport.send({ type: 'job-failed', run, worker: id, jobId, code, message: (error as Error).message }).catch(() => {});
    options.say(`${message.checkId}: failed: ${(error as Error).message}`);
  } finally {
    if (samples) await new Promise((resolve) => samples.end(resolve));
  }
}

/** A tally that also writes each response as a line (`check,status,latency_us,at_ms`): raw samples to audit a merge. */
class SampledTally extends LoadTally {
  constructor(
    private readonly out: WriteStream,
    private readonly checkId: string,
  ) {
    super();
  }

  override add(status: number, latencyMs: number, completedAtMs: number): void {
    super.add(status, latencyMs, completedAtMs);
    this.out.write(`${this.checkId},${status},${Number.isFinite(latencyMs) ? Math.max(1, Math.round(latencyMs * 1000)) : ''},${completedAtMs.toFixed(1)}\n`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

import { formatSegment, splitLoad, type Segment } from './load-segment.js';
import type { HttpClient, RequestSpec } from './http-client.js';
import { runLoad, type LoadRun, type LoadRunOptions, type LoadShape } from './load-runner.js';
import { LoadTally, type TallyData } from './load-tally.js';

/** A load to generate, as a check describes it: the request by its names (key, identity), never its secrets. */
export interface LoadJob extends LoadShape {
  /** The check it is for, as workers' logs and samples name it. */
  checkId?: string;
  request: RequestSpec;
}

/** One worker's (or one segment's) part of a load, as the report shows it. */
export interface LoadShare {
  worker: string;
  segment: string;
  sourceAddress?: string;
  responses: number;
  /** How long its part ran, as it measured. */
  durationMs?: number;
  tally: TallyData;
  /** Why this worker's part ended early: it died, or stopped answering. */
  lost?: string;
}

export interface LoadOutcomeRun {
  /** Every response of every part, merged. */
  tally: LoadTally;
  durationMs: number;
  startedAt: string;
  stoppedBy: LoadRun['stoppedBy'] | 'aborted' | 'worker-lost';
  /** Set when an abort condition stopped the run. */
  abortReason?: string;
  /** The parts it was generated in (workers, or the one segment this process ran). */
  shares?: LoadShare[];
  /** This process ran segment i of N of the load (run --segment). */
  segment?: Segment;
  notes?: string[];
}

export interface LoadContext {
  http: HttpClient;
  signal: AbortSignal;
  progress(responses: number, elapsedMs: number): void;
  /** Asked about the merged data about once a second while the load runs: a reason stops it at once. */
  abortWhen?(tally: LoadTally, elapsedMs: number): string | undefined;
}

/** Who generates a check's load: this process (whole, or one segment of it), or workers a coordinator drives. */
export interface LoadEngine {
  run(job: LoadJob, context: LoadContext): Promise<LoadOutcomeRun>;
}

/** The TLS settings autocannon needs for the request: the profile's trust and the request's client identity. */
export function loadTls(http: HttpClient, request: RequestSpec, url: URL): LoadRunOptions['tls'] {
  if (url.protocol !== 'https:') return undefined;
  const identity = http.identityFor(request);
  return { ca: http.profile.tls.ca, cert: identity?.cert, key: identity?.key, passphrase: identity?.passphrase, servername: http.profile.tls.servername };
}

/** Runs a job in this process with autocannon, watching the abort condition every second. */
export async function runLoadJob(job: LoadJob, context: LoadContext, options: { sourceAddress?: string; tally?: LoadTally } = {}): Promise<Omit<LoadOutcomeRun, 'shares' | 'segment'>> {
  const prepared = context.http.prepare(job.request);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  context.signal.addEventListener('abort', onOuterAbort, { once: true });
  if (context.signal.aborted) stop.abort();
  const tally = options.tally ?? new LoadTally();
  const started = performance.now();
  let abortReason: string | undefined;
  const watch = setInterval(() => {
    abortReason ??= context.abortWhen?.(tally, performance.now() - started);
    if (abortReason) stop.abort();
  }, 1000);
  try {
    const run = await runLoad({
      request: prepared,
      connections: job.connections,
      pipelining: job.pipelining,
      durationMs: job.durationMs,
      amount: job.amount,
      rate: job.rate,
      timeoutMs: job.timeoutMs,
      tls: loadTls(context.http, job.request, prepared.url),
      signal: stop.signal,
      tally,
      sourceAddress: options.sourceAddress,
      onProgress: context.progress,
    });
    return { tally: run.tally, durationMs: run.durationMs, startedAt: run.startedAt, stoppedBy: abortReason ? 'aborted' : run.stoppedBy, abortReason };
  } finally {
    clearInterval(watch);
    context.signal.removeEventListener('abort', onOuterAbort);
  }
}

/** The load in this process: all of it, or (run --segment i/N) its i-th part. */
export class LocalLoadEngine implements LoadEngine {
  constructor(private readonly options: { segment?: Segment; sourceAddress?: string } = {}) {}

  async run(job: LoadJob, context: LoadContext): Promise<LoadOutcomeRun> {
    const { segment, sourceAddress } = this.options;
    if (!segment) return runLoadJob(job, context, { sourceAddress });
    // A share or a percentile of one part is not the whole's: abort conditions need the whole (or a coordinator).
    const run = await runLoadJob({ ...job, ...splitLoad(job, segment) }, { ...context, abortWhen: undefined }, { sourceAddress });
    const share: LoadShare = { worker: `segment ${formatSegment(segment)}`, segment: formatSegment(segment), sourceAddress, responses: run.tally.count, durationMs: run.durationMs, tally: run.tally.toData() };
    const notes = context.abortWhen ? ['abort conditions are not judged in one segment (a part is not the whole): they need a whole run or a coordinator'] : [];
    return { ...run, segment, shares: [share], notes };
  }
}

import { createRequire } from 'node:module';
import net from 'node:net';
import autocannon from 'autocannon';
import type { PreparedRequest } from './send.js';
import { LoadTally } from './load-tally.js';

/** Hard ceilings on any one load run, whatever a scenario asks for. */
export const LOAD_LIMITS = { maxDurationMs: 15 * 60_000, maxAmount: 5_000_000, maxConnections: 1000 };

/** When our own deadline stops a run whose target stalls its end: the duration, one request deadline, 2 s. */
export function loadDeadlineMs(durationMs: number, timeoutMs: number): number {
  return Math.min(durationMs, LOAD_LIMITS.maxDurationMs) + timeoutMs + 2000;
}

/** How much load, how fast, on how many connections: what a load job and a load run share. */
export interface LoadShape {
  connections: number;
  pipelining: number;
  durationMs: number;
  amount?: number;
  /** Requests per second across all connections. */
  rate?: number;
  timeoutMs: number;
}

export interface LoadRunOptions extends LoadShape {
  request: PreparedRequest;
  tls?: { ca?: string; cert?: string; key?: string; passphrase?: string; servername?: string };
  signal?: AbortSignal;
  /** Where responses are tallied (a worker drains it every second); a fresh tally when absent. */
  tally?: LoadTally;
  /** Connect from this local address (one of several source addresses measuring a per-IP limit). */
  sourceAddress?: string;
  onProgress?(responses: number, elapsedMs: number): void;
}

export interface LoadRun {
  tally: LoadTally;
  durationMs: number;
  startedAt: string;
  stoppedBy: 'duration' | 'amount' | 'interrupted' | 'deadline';
}

/**
 * Sustained load through autocannon, in process (its per-response event does not cross worker threads), with
 * every response recorded: status, latency and completion time. Bounded by duration and amount (and LOAD_LIMITS),
 * with a deadline timer of our own in case the target stalls the end of the run.
 */
export function runLoad(options: LoadRunOptions): Promise<LoadRun> {
  const durationMs = Math.min(options.durationMs, LOAD_LIMITS.maxDurationMs);
  const amount = options.amount === undefined ? undefined : Math.min(options.amount, LOAD_LIMITS.maxAmount);
  const connections = Math.min(options.connections, LOAD_LIMITS.maxConnections, amount ?? Infinity);
  const tally = options.tally ?? new LoadTally();
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const { request } = options;

  return new Promise<LoadRun>((resolve, reject) => {
    let stoppedBy: LoadRun['stoppedBy'] = amount === undefined ? 'duration' : 'amount';
    // Its callback is deferred: autocannon may call it at once (a bad option), before everything below exists.
    const instance = autocannon({
      url: request.url.origin,
      requests: [{ method: request.method as autocannon.Request['method'], path: request.url.pathname + request.url.search, headers: request.headers, body: request.body }],
      connections,
      pipelining: options.pipelining,
      duration: durationMs / 1000,
      amount,
      overallRate: options.rate,
      timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
      tlsOptions: options.sourceAddress ? { ...options.tls, localAddress: options.sourceAddress } : options.tls,
      setupClient: options.sourceAddress && request.url.protocol === 'http:' ? bindSourceAddress(options.sourceAddress) : undefined,
      servername: options.tls?.servername,
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
      skipAggregateResult: true,
      // autocannon notices its stop flag only when it samples: every 100 ms instead of every second.
      sampleInt: 100,
    } as autocannon.Options, (error) => queueMicrotask(() => finish(error ?? undefined)));
    // autocannon's duration timer only raises that flag; ours ends the run on time to the sample.
    const stopAt = setTimeout(() => instance.stop(), durationMs);
    // Responses completing after the duration are not counted: autocannon stops on its own sampling tick and
    // refills its per-second rate quota on the second, so a run would otherwise gain a stray burst at its end.
    const inWindow = (at: number) => amount !== undefined || at <= durationMs;
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      const at = performance.now() - start;
      if (inWindow(at)) tally.add(statusCode, responseTime, at);
    });
    instance.on('reqError', (error: Error) => {
      const at = performance.now() - start;
      if (inWindow(at)) tally.addError(error?.message ?? String(error), at);
    });

    const progress = setInterval(() => options.onProgress?.(tally.count, performance.now() - start), 250);
    // autocannon's own duration usually ends the run; this is the backstop for a target that never answers.
    const deadline = setTimeout(() => {
      stoppedBy = 'deadline';
      instance.stop();
    }, loadDeadlineMs(durationMs, options.timeoutMs));
    const onAbort = () => {
      stoppedBy = 'interrupted';
      instance.stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    let finished = false;
    function finish(error?: Error) {
      if (finished) return;
      finished = true;
      clearInterval(progress);
      clearTimeout(deadline);
      clearTimeout(stopAt);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ tally, durationMs: amount === undefined ? Math.min(durationMs, performance.now() - start) : performance.now() - start, startedAt, stoppedBy });
    }
  });
}

interface AutocannonClient {
  _connect(): void;
}

/**
 * autocannon opens plain-HTTP connections with `net.connect(port, host)`, which cannot name a local address (its TLS
 * connections take one through tlsOptions). Each client's connect is wrapped so that, for the synchronous length of
 * that one call, net.connect also binds the source address; nothing else can run in between.
 */
function bindSourceAddress(localAddress: string): (client: AutocannonClient) => void {
  const Client = createRequire(import.meta.url)('autocannon/lib/httpClient.js') as { prototype: AutocannonClient };
  const connect = Client.prototype._connect;
  return (client) => {
    client._connect = function (this: AutocannonClient) {
      const original = net.connect;
      (net as { connect: unknown }).connect = (port: number, host: string) => original({ port, host, localAddress });
      try {
        connect.call(this);
      } finally {
        (net as { connect: unknown }).connect = original;
      }
    };
  };
}

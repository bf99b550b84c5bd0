import autocannon from 'autocannon';
import { runLoad } from '../engine/load-runner.js';
import { HttpClient } from '../engine/http-client.js';
import { Coordinator } from '../distributed/coordinator.js';
import { LocalCoordinatorTransport } from '../distributed/local-transport.js';
import { SecretRegistry } from '../results/secrets.js';
import { profileFromTarget } from '../scenario/load-profile.js';
import { startChildServer } from './child-server.js';
import { textTable } from './table.js';
import { median } from './metrics.js';

export interface LoadBenchOptions {
  runs: number;
  durationMs: number;
  connections: number;
  path: string;
  /** Also measure the merged throughput of this many local workers (`run --workers N`), for each N. */
  workers?: number[];
  onProgress?(message: string): void;
}

export interface LoadBenchResult {
  options: { runs: number; durationMs: number; connections: number; path: string; workers?: number[] };
  autocannon: number[];
  gauntlet: number[];
  /** Per number of local workers: merged requests per second of each run. */
  workers: Record<string, number[]>;
  medians: { autocannon: number; gauntlet: number; ratio: number; workers: Record<string, { median: number; ratio: number }> };
}

function plainAutocannon(url: string, connections: number, durationMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: durationMs / 1000 } as autocannon.Options, (error, result) => {
      if (error) reject(error);
      else resolve(result.requests.total / (result.duration || durationMs / 1000));
    });
  });
}

/**
 * gauntlet's load runner (which records every response) against plain autocannon with the same options, on the
 * same reference endpoint, alternating runs so drift on a shared machine hits both alike. Requests per second.
 */
export async function benchLoad(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const server = await startChildServer('reference');
  const url = new URL(options.path, server.url);
  const { onProgress: _progress, ...settings } = options;
  const result: LoadBenchResult = { options: settings, autocannon: [], gauntlet: [], workers: {}, medians: { autocannon: 0, gauntlet: 0, ratio: 0, workers: {} } };
  const pools: { count: number; coordinator: Coordinator }[] = [];
  try {
    for (const count of options.workers ?? []) {
      options.onProgress?.(`starting ${count} local worker${count === 1 ? '' : 's'}`);
      pools.push({ count, coordinator: await localWorkers(count, server.url) });
      result.workers[count] = [];
    }
    await plainAutocannon(url.toString(), options.connections, 1000); // warm both processes up
    for (let run = 0; run < options.runs; run++) {
      options.onProgress?.(`run ${run + 1}/${options.runs}: autocannon`);
      result.autocannon.push(await plainAutocannon(url.toString(), options.connections, options.durationMs));
      options.onProgress?.(`run ${run + 1}/${options.runs}: gauntlet load`);
      const load = await runLoad({ request: { method: 'GET', url, headers: {} }, connections: options.connections, pipelining: 1, durationMs: options.durationMs, timeoutMs: 10_000 });
      result.gauntlet.push(load.tally.count / (load.durationMs / 1000));
      for (const { count, coordinator } of pools) {
        options.onProgress?.(`run ${run + 1}/${options.runs}: ${count} local worker${count === 1 ? '' : 's'}`);
        const job = { request: { path: options.path }, connections: Math.max(count, options.connections), pipelining: 1, durationMs: options.durationMs, timeoutMs: 10_000 };
        const merged = await coordinator.run(job, { http: new HttpClient(profileFromTarget(server.url), { timeoutMs: 10_000, bodyCapBytes: 1 << 20 }, new SecretRegistry()), signal: new AbortController().signal, progress: () => {} });
        if (merged.stoppedBy !== 'duration') throw new Error(`the ${count}-worker run ended by ${merged.stoppedBy}${merged.abortReason ? `: ${merged.abortReason}` : ''}`);
        result.workers[count]!.push(merged.tally.count / (merged.durationMs / 1000));
      }
    }
  } finally {
    for (const { coordinator } of pools) await coordinator.close();
    await server.stop();
  }
  const a = median(result.autocannon);
  const g = median(result.gauntlet);
  const workers = Object.fromEntries(Object.entries(result.workers).map(([count, runs]) => [count, { median: median(runs), ratio: median(runs) / a }]));
  result.medians = { autocannon: a, gauntlet: g, ratio: g / a, workers };
  return result;
}

/** N `gauntlet worker --local` processes, ready, against the benchmark server. */
function localWorkers(count: number, target: string): Promise<Coordinator> {
  return Coordinator.start(new LocalCoordinatorTransport(count), {
    profile: profileFromTarget(target),
    secrets: new SecretRegistry(),
    workers: count,
    joinTimeoutMs: 30_000,
    signal: new AbortController().signal,
    say: () => {},
  });
}

export function loadTable(result: LoadBenchResult): string {
  const fmt = (v: number) => v.toFixed(0);
  return textTable(
    [`GET ${result.options.path}, ${result.options.connections} connections, ${result.options.durationMs / 1000}s x ${result.options.runs}`, 'median req/s', 'runs (req/s)'],
    [
      ['plain autocannon', fmt(result.medians.autocannon), result.autocannon.map(fmt).join(' ')],
      ['gauntlet load (records every response)', fmt(result.medians.gauntlet), result.gauntlet.map(fmt).join(' ')],
      ['ratio gauntlet / autocannon', result.medians.ratio.toFixed(3), ''],
      ...Object.entries(result.workers).flatMap(([count, runs]) => [
        [`gauntlet, ${count} local worker${count === '1' ? '' : 's'} (merged)`, fmt(result.medians.workers[count]!.median), runs.map(fmt).join(' ')],
        [`ratio ${count} worker${count === '1' ? '' : 's'} / autocannon`, result.medians.workers[count]!.ratio.toFixed(3), ''],
      ]),
    ],
  );
}

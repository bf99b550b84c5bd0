import { HttpClient } from '../engine/http-client.js';
import { openChannel, TRANSPORTS, type Transport } from '../engine/burst.js';
import { wallClockMs } from '../engine/wall-clock.js';
import { SecretRegistry } from '../results/secrets.js';
import { profileFromTarget } from '../scenario/load-profile.js';
import { startChildServer } from './child-server.js';
import { textTable } from './table.js';
import { median } from './metrics.js';
import { percentile } from './stats.js';

export interface BurstBenchOptions {
  runs: number;
  size: number;
  transports?: Transport[];
  onProgress?(message: string): void;
}

/** Bursts fired and not counted before the measured ones. */
const WARMUP_RUNS = 5;

type Metric = 'arrivalSpreadMs' | 'aimErrorMs' | 'firstArrivalMs' | 'dispatchSpreadMs';
type Run = { arrivalSpreadMs: number; aimErrorMs: number; firstArrivalMs: number; dispatchSpreadMs: number; answered: number };

export interface TransportBench {
  transport: Transport;
  runs: Run[];
  summary: Record<Metric, { median: number; p95: number; max: number }>;
}

export interface BurstBenchResult {
  size: number;
  transports: TransportBench[];
}

/**
 * How tightly a burst arrives and how precisely it can be aimed, over each transport: each run fires `size`
 * requests at the next round 100 ms instant, at a server in another process that stamps each request's arrival.
 * The transports take turns within a run, each on connections it keeps between runs as a probe's client does, so
 * they meet the same machine noise; five bursts each go first, uncounted, to warm both processes.
 */
export async function benchBursts(options: BurstBenchOptions): Promise<BurstBenchResult> {
  const server = await startChildServer('arrivals');
  const client = new HttpClient(profileFromTarget(server.url), { timeoutMs: 10_000, bodyCapBytes: 1024 }, new SecretRegistry());
  const transports = options.transports ?? [...TRANSPORTS];
  const channels = transports.map((transport) => openChannel(client, { path: '/burst' }, transport));
  const runs: Run[][] = transports.map(() => []);
  try {
    // The first bursts of a process run cold (the JIT, the server's first connections): warm both sides first.
    for (let run = -WARMUP_RUNS; run < options.runs; run++) {
      for (const [i, channel] of channels.entries()) {
        const at = Math.ceil((wallClockMs() + 150) / 100) * 100;
        const prepared = Array.from({ length: options.size }, () => client.prepare({ path: '/burst' }));
        const burst = await channel.fire(prepared, { at, timeoutMs: 10_000, bodyCapBytes: 1024 });
        const arrivals = burst.responses.map((r) => Number(r.body.toString())).filter((v) => Number.isFinite(v) && v > 0);
        if (run < 0) continue;
        runs[i]!.push({
          arrivalSpreadMs: Math.max(...arrivals) - Math.min(...arrivals),
          aimErrorMs: burst.aimErrorMs!,
          firstArrivalMs: Math.min(...arrivals) - at,
          dispatchSpreadMs: burst.dispatchSpreadMs,
          answered: arrivals.length,
        });
      }
      if (run >= 0) options.onProgress?.(`burst ${run + 1}/${options.runs}`);
    }
  } finally {
    await Promise.all(channels.map((c) => c.close()));
    await client.close();
    await server.stop();
  }
  const summarise = (of: Run[]) => {
    const stat = (key: Metric) => {
      const values = of.map((r) => r[key]);
      return { median: median(values), p95: percentile(values, 95), max: Math.max(...values) };
    };
    return { arrivalSpreadMs: stat('arrivalSpreadMs'), aimErrorMs: stat('aimErrorMs'), firstArrivalMs: stat('firstArrivalMs'), dispatchSpreadMs: stat('dispatchSpreadMs') };
  };
  return { size: options.size, transports: transports.map((transport, i) => ({ transport, runs: runs[i]!, summary: summarise(runs[i]!) })) };
}

const DESCRIBED: Record<Transport, string> = {
  parallel: 'parallel (the default): one request in flight per connection, opened before the burst',
  pipelined: 'pipelined: all on one connection, each sent before the previous answer',
  sequential: 'sequential: one connection, each after the previous answer',
};

export function burstTable(result: BurstBenchResult): string {
  const row = (label: string, s: { median: number; p95: number; max: number }) => [label, s.median.toFixed(3), s.p95.toFixed(3), s.max.toFixed(3)];
  return result.transports
    .map(({ transport, runs, summary }) =>
      [
        DESCRIBED[transport],
        textTable(
          [`${runs.length} bursts of ${result.size} (ms)`, 'median', 'p95', 'max'],
          [
            row('arrival spread at the server', summary.arrivalSpreadMs),
            row('client dispatch spread', summary.dispatchSpreadMs),
            row('aim error (fired - target instant)', summary.aimErrorMs),
            row('first arrival - target instant', summary.firstArrivalMs),
          ],
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

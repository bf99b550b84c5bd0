import { HttpClient } from '../engine/http-client.js';
import { fireBurst } from '../engine/burst.js';
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
  onProgress?(message: string): void;
}

type Metric = 'arrivalSpreadMs' | 'aimErrorMs' | 'firstArrivalMs' | 'dispatchSpreadMs';

export interface BurstBenchResult {
  runs: { arrivalSpreadMs: number; aimErrorMs: number; firstArrivalMs: number; dispatchSpreadMs: number; answered: number }[];
  summary: Record<Metric, { median: number; p95: number; max: number }>;
}

/**
 * How tightly a burst arrives and how precisely it can be aimed: each run fires `size` requests at the next
 * round 100 ms instant, at a server in another process that stamps each request's arrival.
 */
export async function benchBursts(options: BurstBenchOptions): Promise<BurstBenchResult> {
  const server = await startChildServer('arrivals');
  const client = new HttpClient(profileFromTarget(server.url), { timeoutMs: 10_000, bodyCapBytes: 1024 }, new SecretRegistry());
  const runs: BurstBenchResult['runs'] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const at = Math.ceil((wallClockMs() + 150) / 100) * 100;
      const burst = await fireBurst(client, { path: '/burst' }, { count: options.size, at });
      const arrivals = burst.responses.map((r) => Number(r.body.toString())).filter((v) => Number.isFinite(v) && v > 0);
      runs.push({
        arrivalSpreadMs: Math.max(...arrivals) - Math.min(...arrivals),
        aimErrorMs: burst.aimErrorMs!,
        firstArrivalMs: Math.min(...arrivals) - at,
        dispatchSpreadMs: burst.dispatchSpreadMs,
        answered: arrivals.length,
      });
      options.onProgress?.(`burst ${run + 1}/${options.runs}`);
    }
  } finally {
    await client.close();
    await server.stop();
  }
  const stat = (key: Metric) => {
    const values = runs.map((r) => r[key]);
    return { median: median(values), p95: percentile(values, 95), max: Math.max(...values) };
  };
  return {
    runs,
    summary: { arrivalSpreadMs: stat('arrivalSpreadMs'), aimErrorMs: stat('aimErrorMs'), firstArrivalMs: stat('firstArrivalMs'), dispatchSpreadMs: stat('dispatchSpreadMs') },
  };
}

export function burstTable(result: BurstBenchResult, size: number): string {
  const row = (label: string, s: { median: number; p95: number; max: number }) => [label, s.median.toFixed(3), s.p95.toFixed(3), s.max.toFixed(3)];
  return textTable(
    [`${result.runs.length} bursts of ${size} (ms)`, 'median', 'p95', 'max'],
    [
      row('arrival spread at the server', result.summary.arrivalSpreadMs),
      row('client dispatch spread', result.summary.dispatchSpreadMs),
      row('aim error (fired - target instant)', result.summary.aimErrorMs),
      row('first arrival - target instant', result.summary.firstArrivalMs),
    ],
  );
}

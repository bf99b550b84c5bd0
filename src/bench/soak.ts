import { readFileSync } from 'node:fs';
import { runLoad } from '../engine/load-runner.js';
import { startChildServer } from './child-server.js';
import { textTable } from './table.js';
import { median } from './metrics.js';

export interface SoakOptions {
  durationMs: number;
  sliceMs: number;
  rate: number;
  connections: number;
  onProgress?(message: string): void;
}

export interface SoakSample {
  atS: number;
  requestsPerSecond: number;
  clientRssMiB: number;
  serverRssMiB: number;
}

export interface SoakResult {
  options: Omit<SoakOptions, 'onProgress'>;
  samples: SoakSample[];
  /** Median RSS of the last third against the first third (after the first slice, a warm-up), in percent. */
  growthPercent: { client: number; server: number };
  /** Least-squares trend of RSS over the run (after the first slice), MiB per minute: near 0 means flat. */
  trendMiBPerMinute: { client: number; server: number };
  range: { client: [number, number]; server: [number, number] };
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * A long load against the reference server (in its own process), in slices so no recording grows without bound;
 * after each slice both processes' resident memory is sampled. Flat memory means no leak in either.
 */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const server = await startChildServer('reference');
  const url = new URL('/api/data', server.url);
  const samples: SoakSample[] = [];
  const started = performance.now();
  try {
    while (performance.now() - started < options.durationMs) {
      const run = await runLoad({ request: { method: 'GET', url, headers: {} }, connections: options.connections, pipelining: 1, durationMs: options.sliceMs, rate: options.rate, timeoutMs: 10_000 });
      const sample = {
        atS: Math.round((performance.now() - started) / 1000),
        requestsPerSecond: Math.round(run.tally.count / (run.durationMs / 1000)),
        clientRssMiB: process.memoryUsage().rss / 1024 / 1024,
        serverRssMiB: rssMiB(server.pid),
      };
      samples.push(sample);
      options.onProgress?.(`${sample.atS}s: ${sample.requestsPerSecond} req/s, gauntlet ${sample.clientRssMiB.toFixed(0)} MiB, server ${sample.serverRssMiB.toFixed(0)} MiB`);
    }
  } finally {
    await server.stop();
  }
  const third = Math.max(1, Math.floor((samples.length - 1) / 3));
  const growth = (key: 'clientRssMiB' | 'serverRssMiB') => {
    const early = median(samples.slice(1, 1 + third).map((s) => s[key]));
    const late = median(samples.slice(-third).map((s) => s[key]));
    return ((late - early) / early) * 100;
  };
  const steady = samples.slice(1);
  const trend = (key: 'clientRssMiB' | 'serverRssMiB') => slope(steady.map((s) => [s.atS / 60, s[key]] as [number, number]));
  const range = (key: 'clientRssMiB' | 'serverRssMiB'): [number, number] => [Math.min(...samples.map((s) => s[key])), Math.max(...samples.map((s) => s[key]))];
  const { onProgress: _p, ...settings } = options;
  return {
    options: settings,
    samples,
    growthPercent: { client: growth('clientRssMiB'), server: growth('serverRssMiB') },
    trendMiBPerMinute: { client: trend('clientRssMiB'), server: trend('serverRssMiB') },
    range: { client: range('clientRssMiB'), server: range('serverRssMiB') },
  };
}

function slope(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export function soakTable(result: SoakResult): string {
  const rows = result.samples.map((s) => [`${s.atS}s`, String(s.requestsPerSecond), s.clientRssMiB.toFixed(1), s.serverRssMiB.toFixed(1)]);
  rows.push(['growth, last third vs first', '', `${result.growthPercent.client.toFixed(1)}%`, `${result.growthPercent.server.toFixed(1)}%`]);
  rows.push(['trend (MiB per minute)', '', result.trendMiBPerMinute.client.toFixed(2), result.trendMiBPerMinute.server.toFixed(2)]);
  rows.push(['range (MiB)', '', result.range.client.map((v) => v.toFixed(0)).join('-'), result.range.server.map((v) => v.toFixed(0)).join('-')]);
  return textTable(['time', 'req/s', 'gauntlet RSS MiB', 'server RSS MiB'], rows);
}

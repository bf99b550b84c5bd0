import { readFileSync } from 'node:fs';
import { runLoad } from '../engine/load-runner.js';
import { startChildServer } from './child-server.js';
import { formatTable } from './print-table.js';
import { median } from './stats.js';

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
        requestsPerSecond: Math.round(run.recording.count / (run.durationMs / 1000)),
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
  const { onProgress: _p, ...settings } = options;
  return { options: settings, samples, growthPercent: { client: growth('clientRssMiB'), server: growth('serverRssMiB') } };
}

export function soakTable(result: SoakResult): string {
  const rows = result.samples.map((s) => [`${s.atS}s`, s.requestsPerSecond, s.clientRssMiB.toFixed(1), s.serverRssMiB.toFixed(1)]);
  rows.push(['growth, last third vs first', '', `${result.growthPercent.client.toFixed(1)}%`, `${result.growthPercent.server.toFixed(1)}%`]);
  return formatTable(['time', 'req/s', 'gauntlet RSS MiB', 'server RSS MiB'], rows);
}

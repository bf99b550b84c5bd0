import autocannon from 'autocannon';
import { runLoad } from '../engine/load-runner.js';
import { startChildServer } from './child-server.js';
import { textTable } from './table.js';
import { median } from './metrics.js';

export interface LoadBenchOptions {
  runs: number;
  durationMs: number;
  connections: number;
  path: string;
  onProgress?(message: string): void;
}

export interface LoadBenchResult {
  options: { runs: number; durationMs: number; connections: number; path: string };
  autocannon: number[];
  gauntlet: number[];
  medians: { autocannon: number; gauntlet: number; ratio: number };
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
  const result: LoadBenchResult = { options: settings, autocannon: [], gauntlet: [], medians: { autocannon: 0, gauntlet: 0, ratio: 0 } };
  try {
    await plainAutocannon(url.toString(), options.connections, 1000); // warm both processes up
    for (let run = 0; run < options.runs; run++) {
      options.onProgress?.(`run ${run + 1}/${options.runs}: autocannon`);
      result.autocannon.push(await plainAutocannon(url.toString(), options.connections, options.durationMs));
      options.onProgress?.(`run ${run + 1}/${options.runs}: gauntlet load`);
      const load = await runLoad({ request: { method: 'GET', url, headers: {} }, connections: options.connections, pipelining: 1, durationMs: options.durationMs, timeoutMs: 10_000 });
      result.gauntlet.push(load.tally.count / (load.durationMs / 1000));
    }
  } finally {
    await server.stop();
  }
  const a = median(result.autocannon);
  const g = median(result.gauntlet);
  result.medians = { autocannon: a, gauntlet: g, ratio: g / a };
  return result;
}

export function loadTable(result: LoadBenchResult): string {
  const fmt = (v: number) => v.toFixed(0);
  return textTable(
    [`GET ${result.options.path}, ${result.options.connections} connections, ${result.options.durationMs / 1000}s x ${result.options.runs}`, 'median req/s', 'runs (req/s)'],
    [
      ['plain autocannon', fmt(result.medians.autocannon), result.autocannon.map(fmt).join(' ')],
      ['gauntlet load (records every response)', fmt(result.medians.gauntlet), result.gauntlet.map(fmt).join(' ')],
      ['ratio gauntlet / autocannon', result.medians.ratio.toFixed(3), ''],
    ],
  );
}

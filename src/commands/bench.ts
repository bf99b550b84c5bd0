import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchInit, initTable } from '../bench/init-bench.js';
import { loadApi } from '../openapi/load-document.js';
import { packageRoot } from '../util/package-root.js';
import { benchBursts, burstTable } from '../bench/burst-bench.js';
import { benchLoad, loadTable } from '../bench/load-bench.js';
import { soak, soakTable } from '../bench/soak.js';
import { writeFileAtomic } from '../report/write-file.js';
import { parseDuration } from '../util/duration.js';
import { EXIT, GauntletError } from '../util/errors.js';
import type { CommandIO } from './io.js';

export interface BenchArgs {
  which: string;
  runs?: number;
  size?: number;
  duration?: string;
  connections?: number;
  rate?: number;
  json?: string;
  /** init: the document to plan (default GitHub's REST description, a devDependency of a checkout). */
  openapi?: string;
  /** load: numbers of local workers to measure too. */
  workers?: number[];
}

/** GitHub's REST description as @octokit/openapi ships it: 1 200+ operations. */
function defaultInitDocument(): string {
  const path = join(packageRoot(), 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');
  if (!existsSync(path)) throw new GauntletError('E_USAGE', 'bench init: give --openapi <file> (the default, GitHub\'s REST description, comes with the devDependencies of a checkout)');
  return path;
}

/** Benchmarks print a table (and optionally write JSON); they never pass or fail on speed. */
export async function benchCommand(args: BenchArgs, io: CommandIO): Promise<number> {
  const live = Boolean(io.stderr.isTTY);
  const progress = (message: string) => {
    if (live) io.stderr.write(`\r\x1b[2K${message}`);
  };
  let table: string;
  let data: unknown;
  if (args.which === 'burst') {
    const size = args.size ?? 100;
    const result = await benchBursts({ runs: args.runs ?? 20, size, onProgress: progress });
    table = burstTable(result);
    data = result;
  } else if (args.which === 'load') {
    const durationMs = parseDuration(args.duration ?? '5s');
    if (!durationMs) throw new GauntletError('E_USAGE', `--duration expects a duration such as 5s; got '${args.duration}'`);
    const result = await benchLoad({ runs: args.runs ?? 5, durationMs, connections: args.connections ?? 10, path: '/api/data', workers: args.workers, onProgress: progress });
    table = loadTable(result);
    data = result;
  } else if (args.which === 'soak') {
    const durationMs = parseDuration(args.duration ?? '10m');
    if (!durationMs) throw new GauntletError('E_USAGE', `--duration expects a duration such as 10m; got '${args.duration}'`);
    const result = await soak({ durationMs, sliceMs: Math.min(10_000, durationMs), rate: args.rate ?? 2000, connections: args.connections ?? 10, onProgress: (m) => io.stderr.write(`${m}\n`) });
    table = soakTable(result);
    data = result;
  } else if (args.which === 'init') {
    const document = args.openapi ?? defaultInitDocument();
    const operations = (await loadApi(document)).model.operations.length;
    const result = await benchInit({ document, operations, runs: args.runs ?? 5, onProgress: progress });
    table = initTable(result);
    data = result;
  } else {
    throw new GauntletError('E_USAGE', `unknown benchmark '${args.which}' (choose burst, load, soak or init)`);
  }
  if (live) io.stderr.write('\r\x1b[2K');
  io.stdout.write(`${table}\n`);
  if (args.json) io.stderr.write(`wrote ${writeFileAtomic(args.json, `${JSON.stringify(data, null, 2)}\n`)}\n`);
  return EXIT.ok;
}

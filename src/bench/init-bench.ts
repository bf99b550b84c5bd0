import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.js';
import { fmtRatio, textTable } from './table.js';

export interface InitRun {
  ms: number;
  maxRssMiB: number;
}

export interface InitBenchResult {
  document: string;
  operations: number;
  runs: number;
  gauntlet: InitRun[];
  parser: InitRun[];
}

const CHILD = fileURLToPath(new URL('./init-bench-child.js', import.meta.url));
/** A run that takes longer than this is stopped: the benchmark is bounded in time. */
const RUN_TIMEOUT_MS = 120_000;

function measure(which: 'gauntlet' | 'parser', document: string): Promise<InitRun> {
  const out = mkdtempSync(join(tmpdir(), 'gauntlet-bench-init-'));
  return new Promise<InitRun>((resolve, reject) => {
    execFile(process.execPath, [CHILD, which, document, join(out, 'audit')], { timeout: RUN_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      rmSync(out, { recursive: true, force: true });
      if (error) return reject(new Error(`${which} run failed: ${error.message}`));
      const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as InitRun & { code: number };
      if (run.code !== 0) return reject(new Error(`${which} run ended with exit ${run.code}`));
      resolve({ ms: run.ms, maxRssMiB: run.maxRssMiB });
    });
  });
}

/**
 * `init --openapi` on a large document against the parser alone, alternating, each run in a fresh process: wall
 * time and peak memory, medians and ratios to the parser measured in the same session.
 */
export async function benchInit(options: { document: string; operations: number; runs: number; onProgress(message: string): void }): Promise<InitBenchResult> {
  const result: InitBenchResult = { document: options.document, operations: options.operations, runs: options.runs, gauntlet: [], parser: [] };
  for (let i = 0; i < options.runs; i++) {
    options.onProgress(`run ${i + 1}/${options.runs}: parser`);
    result.parser.push(await measure('parser', options.document));
    options.onProgress(`run ${i + 1}/${options.runs}: gauntlet init`);
    result.gauntlet.push(await measure('gauntlet', options.document));
  }
  return result;
}

export function initTable(result: InitBenchResult): string {
  const median = (runs: InitRun[], field: keyof InitRun) => percentile(runs.map((r) => r[field]), 50);
  const row = (name: string, runs: InitRun[]) => [
    name,
    (median(runs, 'ms') / 1000).toFixed(2),
    runs === result.parser ? '' : fmtRatio(median(runs, 'ms') / median(result.parser, 'ms')),
    median(runs, 'maxRssMiB').toFixed(0),
    runs === result.parser ? '' : fmtRatio(median(runs, 'maxRssMiB') / median(result.parser, 'maxRssMiB')),
  ];
  return [
    `init --openapi ${result.document} (${result.operations} operations): median of ${result.runs} runs, each in a fresh process`,
    textTable(['what', 'seconds', 'vs parser', 'peak MiB', 'vs parser'], [row('parser (validate + dereference)', result.parser), row('gauntlet init (read, plan, write)', result.gauntlet)]),
  ].join('\n');
}

import { resolve } from 'node:path';
import { createReporters } from '../report/create-reporters.js';
import { assertWritableOutputDir } from '../report/output-dir.js';
import { assertReportDestinations, STDOUT_DIR, streamsToStdout, writesFiles } from '../report/report-destinations.js';
import { mergeLoadSegments } from '../checks/load/merge-segments.js';
import { mergeRuns } from '../results/merge.js';
import type { RunResult } from '../results/model.js';
import { readRun } from '../results/read-run.js';
import { GauntletError } from '../util/errors.js';
import type { CommandIO } from './io.js';

export interface ReportArgs {
  inputs: string[];
  reporters: string[];
  outputDir: string;
}

/**
 * `report <run.json>` renders a saved run again; `report merge <run.json...>` merges the runs of shards first.
 * Either way the exit code is the run's verdict, so the job that merges shards can be the CI gate.
 */
export async function reportCommand(args: ReportArgs, io: CommandIO): Promise<number> {
  assertReportDestinations(args.reporters, args.outputDir);
  const [first, ...rest] = args.inputs;
  let run: RunResult;
  if (first === 'merge') {
    if (rest.length === 0) throw new GauntletError('E_USAGE', 'report merge needs the run reports to merge: gauntlet report merge a.json b.json');
    run = mergeRuns(rest.map((file) => ({ file, run: readRun(file) })), mergeLoadSegments);
  } else {
    if (!first || rest.length > 0) throw new GauntletError('E_USAGE', 'give one run report to render, or use: gauntlet report merge <run.json...>');
    run = readRun(first);
  }
  const outputDir = streamsToStdout(args.outputDir) ? STDOUT_DIR : resolve(args.outputDir);
  if (writesFiles(args.reporters, outputDir)) assertWritableOutputDir(outputDir);
  const reporters = createReporters(args.reporters, { outputDir, stdout: io.stdout, stderr: io.stderr });
  const plan = {
    target: run.target.url,
    scenarios: run.scenarios.map((s) => ({ name: s.name, file: s.file, checks: s.checks.length })),
    totalChecks: run.totals.checks,
    ...(run.trust ? { trust: run.trust } : {}),
  };
  for (const reporter of reporters) reporter.onRunStart?.(plan);
  for (const check of run.scenarios.flatMap((s) => s.checks)) for (const reporter of reporters) reporter.onCheckEnd?.(check);
  for (const reporter of reporters) {
    const written = await reporter.onRunEnd?.(run);
    for (const file of written ?? []) io.stderr.write(`wrote ${file}\n`);
  }
  return run.verdict.exitCode;
}

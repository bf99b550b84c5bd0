import { join, resolve } from 'node:path';
import { startDemoTarget } from '../demo/target.js';
import type { AlgorithmName } from '../reference/limiters/algorithms/index.js';
import { flawByName } from '../reference/server/flaws.js';
import { HTML_REPORT_FILE } from '../report/html.js';
import { assertWritableOutputDir } from '../report/output-dir.js';
import { assertReportDestinations, writesFiles } from '../report/report-destinations.js';
import type { Severity } from '../results/model.js';
import { SecretRegistry } from '../results/secrets.js';
import { packageRoot } from '../util/package-root.js';
import { exitOnStopSignals } from '../util/stop-signals.js';
import { executeRun, type PlanMode } from './execute-run.js';
import type { CommandIO } from './io.js';

export interface DemoArgs {
  flaw: string[];
  /** The algorithm the demo's rate limiter runs (and its profile declares). */
  limiter?: AlgorithmName;
  reporters: string[];
  outputDir: string;
  failOn: Severity;
  only: string[];
  tags: string[];
  verbose?: boolean;
  /** Print the plan instead of running it (the server starts, for its profile, but is sent nothing). */
  plan?: PlanMode;
}

/** Starts the reference server in process, runs the built-in scenarios against it, writes the reports. */
export async function demoCommand(args: DemoArgs, io: CommandIO): Promise<number> {
  const secrets = new SecretRegistry();
  // A stop signal outside the run (setup, loading, shutdown) exits at once, through process.exit, so the demo PKI's
  // exit hook removes its private keys. The run handles the signals itself: while its listener is there, this one
  // defers. Registered for the whole demo, so there is never a moment with no listener (the default would kill the
  // process and leave the keys).
  const removeStopHandler = exitOnStopSignals(() => io.stderr.write('\ninterrupted: stopping the demo\n'));
  try {
    return await runDemo(args, io, secrets);
  } finally {
    removeStopHandler();
  }
}

async function runDemo(args: DemoArgs, io: CommandIO, secrets: SecretRegistry): Promise<number> {
  // Before the server, its keys and its PKI are made: a folder the reports cannot go to stops the demo at once.
  assertReportDestinations(args.reporters, args.outputDir);
  if (writesFiles(args.reporters, args.outputDir) && !args.plan) assertWritableOutputDir(resolve(args.outputDir), 'no report could be written there, so the demo did not start');
  const target = await startDemoTarget(args.flaw, secrets, args.limiter);
  io.stderr.write(`demo: reference server at ${target.server.url}${args.flaw.length ? ` with flaws: ${args.flaw.join(', ')}` : ''}\n`);
  const https = target.server.url.startsWith('https:');
  for (const flaw of args.flaw.map(flawByName)) {
    if (flaw?.observableOver === 'https' && !https) {
      io.stderr.write(`demo: flaw ${flaw.name} only shows over HTTPS and this demo serves HTTP: ${flaw.caughtBy.join(', ')} will be skipped\n`);
    }
  }
  try {
    const exitCode = await executeRun({
      paths: [join(packageRoot(), 'scenarios')],
      profile: target.profile,
      secrets,
      reporters: args.reporters,
      outputDir: args.outputDir,
      failOn: args.failOn,
      only: args.only,
      tags: args.tags,
      concurrency: 4,
      vars: {},
      allowLoad: false,
      verbose: args.verbose,
      plan: args.plan,
      io,
    });
    if (args.reporters.includes('html') && !args.plan) io.stdout.write(`${resolve(args.outputDir, HTML_REPORT_FILE)}\n`);
    return exitCode;
  } finally {
    await target.close();
  }
}

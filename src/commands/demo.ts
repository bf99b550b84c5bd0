import { join, resolve } from 'node:path';
import { startDemoTarget } from '../demo/target.js';
import type { AlgorithmName } from '../reference/limiters/algorithms/index.js';
import { flawByName } from '../reference/server/flaws.js';
import { HTML_REPORT_FILE } from '../report/html.js';
import type { Severity } from '../results/model.js';
import { SecretRegistry } from '../results/secrets.js';
import { packageRoot } from '../util/package-root.js';
import { executeRun } from './execute-run.js';
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
}

/** Starts the reference server in process, runs the built-in scenarios against it, writes the reports. */
export async function demoCommand(args: DemoArgs, io: CommandIO): Promise<number> {
  const secrets = new SecretRegistry();
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
      io,
    });
    if (args.reporters.includes('html')) io.stdout.write(`${resolve(args.outputDir, HTML_REPORT_FILE)}\n`);
    return exitCode;
  } finally {
    await target.close();
  }
}

import type { RunResult } from '../results/model.js';
import type { Reporter } from './reporter.js';

/** `gauntlet: 12 passed, 1 failed, 0 errored, 2 skipped; FAIL: 1 failed at or above severity info (exit 1)`. */
export function summaryLine(run: RunResult): string {
  const t = run.totals.byStatus;
  const verdict = `${run.verdict.exitCode === 0 ? 'PASS' : 'FAIL'}: ${run.verdict.summary} (exit ${run.verdict.exitCode})`;
  const insecure = run.trust?.insecure ? '; TLS VERIFICATION WAS OFF' : '';
  return `gauntlet: ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ${t.skipped} skipped; ${verdict}${insecure}`;
}

/**
 * The verdict in one line, for runs without the console reporter (`-r junit,sarif` in CI): the job's log still
 * says what happened and why it exits as it does.
 */
export function summaryLineReporter(stream: NodeJS.WritableStream): Reporter {
  return {
    name: 'summary-line',
    onRunEnd(run: RunResult) {
      stream.write(`${summaryLine(run)}\n`);
    },
  };
}

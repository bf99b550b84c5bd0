import type { CheckResult, CheckStatus, RunResult, Suppression } from '../results/model.js';
import { coverageLines } from './coverage-text.js';
import { formatDuration } from '../util/duration.js';
import { printable } from '../util/printable.js';
import type { Reporter, RunPlan } from './reporter.js';
import { wantsColour, wantsLiveProgress } from './colour.js';
import { isUnreachableResult } from '../results/unreachable.js';
import { caFilesNote, insecureWarning } from './trust-notice.js';

export interface ConsoleOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** ANSI colour; by default as FORCE_COLOR, NO_COLOR and the stream say (see wantsColour). */
  colour?: boolean;
  /** A live progress line, redrawn in place; by default on a terminal that gets colour. */
  progress?: boolean;
  verbose?: boolean;
}

const SYMBOL: Record<CheckStatus, string> = { passed: '✓', failed: '✗', errored: '!', skipped: '-' };
const COLOUR: Record<CheckStatus, number> = { passed: 32, failed: 31, errored: 33, skipped: 90 };

/** A finding's category and CWE, briefly: `API2:2023 Broken Authentication · CWE-287`. */
function filing(result: CheckResult): string | undefined {
  const { owasp, cwe } = result.taxonomy ?? {};
  const parts = [owasp ? `${owasp.id} ${owasp.title}` : undefined, cwe ? `CWE-${cwe.id}` : undefined].filter(Boolean);
  return parts.length ? printable(parts.join(' · ')) : undefined;
}

/** `suppressed by baseline.yaml:3:7: the CDN strips it (until 2026-06-30)` */
function suppressionLine({ reason, expires, entry }: Suppression): string {
  return `suppressed by ${entry.file}:${entry.line}:${entry.col}: ${reason}${expires ? ` (until ${expires})` : ''}`;
}

export function consoleReporter(options: ConsoleOptions): Reporter {
  const stream = options.stream;
  const colour = options.colour ?? wantsColour(process.env, Boolean(stream.isTTY));
  const liveProgress = options.progress ?? wantsLiveProgress(process.env, Boolean(stream.isTTY));
  const paint = (code: number, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const bold = (text: string) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
  const warn = (text: string) => stream.write(`${paint(31, bold(`! ${printable(text)}`))}\n`);
  let unreachableShown = false;
  let total = 0;
  let done = 0;
  const running = new Map<string, string>();
  let progressShown = false;
  let lastSkipped: string | undefined;

  const clearProgress = () => {
    if (progressShown) stream.write('\r\x1b[2K');
    progressShown = false;
  };
  const drawProgress = () => {
    if (!liveProgress || running.size === 0) return;
    const [id, note] = [...running.entries()].at(-1)!;
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const line = printable(`[${done}/${total}] ${id}${note ? `: ${note}` : ''}`);
    stream.write(`\r\x1b[2K${paint(90, line.slice(0, width))}`);
    progressShown = true;
  };

  return {
    name: 'console',
    onRunStart(plan: RunPlan) {
      total = plan.totalChecks;
      stream.write(`${bold('gauntlet')} -> ${printable(plan.target)}: ${plan.totalChecks} check(s) in ${plan.scenarios.length} scenario(s)\n`);
      const insecure = insecureWarning(plan.trust);
      if (insecure) warn(insecure);
      const ca = caFilesNote(plan.trust);
      if (ca) stream.write(`${paint(90, printable(ca))}\n`);
    },
    onCheckStart(check) {
      running.set(check.id, '');
      drawProgress();
    },
    onProgress(id, message) {
      running.set(id, message);
      drawProgress();
    },
    onCheckEnd(result: CheckResult) {
      done++;
      for (const id of running.keys()) if (result.id === id || result.id.startsWith(`${id}.`)) running.delete(id);
      clearProgress();
      // An unreachable target: its reason once, not once per check (-v still lists them, without it).
      const unreachable = isUnreachableResult(result);
      if (unreachable && !unreachableShown) {
        unreachableShown = true;
        warn(`${result.message.replace(/^not run: /, '')}; each check that would have run is reported as errored with this reason (-v lists them)`);
      }
      if (unreachable && !options.verbose) return drawProgress();
      // An accepted failure is still a failure, but not one to act on now: shown without the alarm colour.
      const status = paint(result.suppressed ? 90 : COLOUR[result.status], `${SYMBOL[result.status]} ${result.status.padEnd(7)}`);
      stream.write(`${status} ${result.severity.padEnd(8)} ${printable(result.id)}  ${printable(result.title)} ${paint(90, `(${formatDuration(result.durationMs)})`)}\n`);
      // Why a check was skipped is shown once for its cases: it is how a user learns what the profile lacks.
      const skippedReason = result.status === 'skipped' && result.message !== lastSkipped ? result.message : undefined;
      lastSkipped = result.status === 'skipped' ? result.message : undefined;
      if (skippedReason && !options.verbose) stream.write(`          ${paint(90, printable(skippedReason))}\n`);
      if (result.suppressed) stream.write(`          ${paint(90, printable(suppressionLine(result.suppressed)))}\n`);
      if (!unreachable && (result.status === 'failed' || result.status === 'errored' || options.verbose)) {
        stream.write(`          ${paint(90, printable(result.message))}\n`);
        if (result.source) stream.write(`          ${paint(90, `at ${printable(result.source.file)}:${result.source.line}:${result.source.col}`)}\n`);
        const filed = result.status === 'failed' ? filing(result) : undefined;
        if (filed) stream.write(`          ${paint(90, filed)}\n`);
      }
      drawProgress();
    },
    onRunEnd(run: RunResult) {
      clearProgress();
      const t = run.totals.byStatus;
      const parts = [
        paint(COLOUR.passed, `${t.passed} passed`),
        paint(COLOUR.failed, `${t.failed} failed${run.totals.suppressed ? ` (${run.totals.suppressed} suppressed)` : ''}`),
        paint(COLOUR.errored, `${t.errored} errored`),
        paint(COLOUR.skipped, `${t.skipped} skipped`),
      ];
      const findings = Object.entries(run.totals.findingsBySeverity)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ');
      stream.write(`\n${parts.join(', ')} in ${formatDuration(run.durationMs)}${findings ? ` (findings: ${findings})` : ''}\n`);
      if (run.coverage) stream.write(`${coverageLines(run.coverage).join('\n')}\n`);
      const insecure = insecureWarning(run.trust);
      if (insecure) warn(insecure);
      stream.write(`${bold(run.verdict.exitCode === 0 ? 'PASS' : 'FAIL')}: ${run.verdict.summary} (exit ${run.verdict.exitCode})\n`);
    },
  };
}

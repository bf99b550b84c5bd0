import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult, RunResult } from '../results/model.js';
import { packageVersion } from '../util/package-root.js';
import type { Reporter, RunPlan } from './reporter.js';

export const NDJSON_REPORT_FILE = 'gauntlet-events.ndjson';
/** Bumped when an event changes shape; readers check it on `run-start`. */
export const EVENTS_VERSION = 1;

/** Where the events go: a file in the output folder, or a stream (stdout, with `-o -`). */
export type NdjsonDestination = { dir: string } | { stream: NodeJS.WritableStream };

/**
 * One JSON event per line, as the run goes: `run-start` (the plan), a `check` per result (the redacted CheckResult
 * the JSON report holds), `run-end` (totals and verdict). For CI systems and tools that read a stream (jq, a log
 * shipper) rather than a report written at the end.
 */
export function ndjsonReporter(destination: NdjsonDestination): Reporter {
  let fd: number | undefined;
  const file = 'dir' in destination ? join(destination.dir, NDJSON_REPORT_FILE) : undefined;
  const emit = (event: Record<string, unknown>) => {
    // JSON.stringify escapes every line break inside strings: one event is always one line.
    const line = `${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`;
    if ('stream' in destination) {
      destination.stream.write(line);
      return;
    }
    if (fd === undefined) {
      mkdirSync(destination.dir, { recursive: true });
      fd = openSync(file!, 'w');
    }
    writeSync(fd, line);
  };
  return {
    name: 'ndjson',
    onRunStart(plan: RunPlan) {
      emit({
        event: 'run-start',
        eventsVersion: EVENTS_VERSION,
        tool: { name: 'gauntlet', version: packageVersion() },
        target: plan.target,
        checks: plan.totalChecks,
        scenarios: plan.scenarios,
        ...(plan.trust ? { trust: plan.trust } : {}),
      });
    },
    onCheckEnd(result: CheckResult) {
      emit({ event: 'check', result });
    },
    onRunEnd(run: RunResult) {
      emit({
        event: 'run-end',
        totals: run.totals,
        verdict: run.verdict,
        durationMs: run.durationMs,
        interrupted: run.interrupted,
        ...(run.trust ? { trust: run.trust } : {}),
        ...(run.coverage ? { coverage: run.coverage } : {}),
      });
      if (fd === undefined) return [];
      closeSync(fd);
      fd = undefined;
      return [file!];
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EVENTS_VERSION, ndjsonReporter } from '../../src/report/ndjson.js';
import type { RunResult } from '../../src/results/model.js';

const run: RunResult = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/runs/charts-run.json'), 'utf8'));

describe('the ndjson reporter', () => {
  it('writes run-start, a check event per result and run-end, one JSON object per line', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d) => (text += d));
    const reporter = ndjsonReporter({ stream });
    const checks = run.scenarios.flatMap((s) => s.checks);
    // A message with a line break must not break the one-event-per-line framing.
    const tricky = { ...checks[0]!, message: 'line one\nline two\u2028three' };
    reporter.onRunStart!({ target: run.target.url, scenarios: [{ name: 's', file: 's.yaml', checks: checks.length }], totalChecks: checks.length });
    for (const check of [tricky, ...checks.slice(1)]) reporter.onCheckEnd!(check);
    const written = reporter.onRunEnd!(run);
    expect(written).toEqual([]);

    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(checks.length + 2);
    const events = lines.map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ event: 'run-start', eventsVersion: EVENTS_VERSION, target: run.target.url, checks: checks.length, tool: { name: 'gauntlet' } });
    expect(events.slice(1, -1).map((e) => e.event)).toEqual(checks.map(() => 'check'));
    expect(events[1].result).toEqual(tricky);
    expect(events.slice(2, -1).map((e) => e.result)).toEqual(checks.slice(1));
    expect(events.at(-1)).toMatchObject({ event: 'run-end', totals: run.totals, verdict: run.verdict, interrupted: run.interrupted });
    for (const event of events) expect(Date.parse(event.time)).not.toBeNaN();
  });
});

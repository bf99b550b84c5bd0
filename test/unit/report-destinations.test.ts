import { describe, expect, it } from 'vitest';
import { createReporters } from '../../src/report/create-reporters.js';
import { assertReportDestinations, writesFiles } from '../../src/report/report-destinations.js';
import { summaryLine } from '../../src/report/summary-line.js';
import type { RunResult } from '../../src/results/model.js';

const usage = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return { code: (error as { code: string }).code, exitCode: (error as { exitCode: number }).exitCode, message: (error as Error).message };
  }
  return undefined;
};

describe('-o - (ndjson to stdout)', () => {
  it('is refused with a file reporter beside ndjson, naming it, as a usage error (exit 2)', () => {
    const refused = usage(() => assertReportDestinations(['ndjson', 'junit', 'html'], '-'));
    expect(refused).toMatchObject({ code: 'E_USAGE', exitCode: 2 });
    expect(refused!.message).toContain('the junit, html reports cannot be written to');
    expect(refused!.message).toContain('give --output-dir a folder, or use -r ndjson alone');
  });

  it('is refused without ndjson, and allowed with ndjson alone or beside the console', () => {
    expect(usage(() => assertReportDestinations(['console'], '-'))?.message).toContain('add -r ndjson');
    expect(usage(() => assertReportDestinations(['ndjson'], '-'))).toBeUndefined();
    expect(usage(() => assertReportDestinations(['console', 'ndjson'], '-'))).toBeUndefined();
    expect(usage(() => assertReportDestinations(['json', 'junit'], 'reports'))).toBeUndefined();
  });

  it('writes no file, so no folder named - is made', () => {
    expect(writesFiles(['ndjson'], '-')).toBe(false);
    expect(writesFiles(['ndjson'], '/tmp/reports')).toBe(true);
    expect(writesFiles(['console'], '/tmp/reports')).toBe(false);
  });

  it('sends the console and the summary line to stderr, leaving stdout to the events', () => {
    const stdout = { write: () => true } as never;
    const stderr = { write: () => true } as never;
    const names = (reporters: { name: string }[]) => reporters.map((r) => r.name);
    expect(names(createReporters(['ndjson'], { outputDir: '-', stdout, stderr }))).toEqual(['ndjson', 'summary-line']);
    expect(names(createReporters(['console', 'junit'], { outputDir: '/tmp/x', stdout, stderr }))).toEqual(['console', 'junit']);
  });
});

describe('the one-line summary', () => {
  const run = {
    totals: { checks: 15, byStatus: { passed: 12, failed: 1, errored: 0, skipped: 2 } },
    verdict: { exitCode: 1, summary: '1 failed at or above severity info' },
  } as unknown as RunResult;

  it('gives counts, verdict and exit code in one line', () => {
    expect(summaryLine(run)).toBe('gauntlet: 12 passed, 1 failed, 0 errored, 2 skipped; FAIL: 1 failed at or above severity info (exit 1)');
  });

  it('says when TLS verification was off', () => {
    expect(summaryLine({ ...run, trust: { insecure: true, insecureBy: ['--insecure'] } })).toMatch(/; TLS VERIFICATION WAS OFF$/);
  });
});

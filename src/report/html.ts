import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { SEVERITIES, STATUSES, type CheckResult, type Exchange, type RunResult } from '../results/model.js';
import { formatDuration } from '../util/duration.js';
import { packageRoot } from '../util/package-root.js';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write-file.js';

export const HTML_REPORT_FILE = 'gauntlet-report.html';

const templateDir = () => join(packageRoot(), 'src', 'report', 'templates');

let compiled: HandlebarsTemplateDelegate | undefined;
function template(): HandlebarsTemplateDelegate {
  // A private Handlebars environment: nothing registered elsewhere can change how target data is escaped.
  compiled ??= Handlebars.create().compile(readFileSync(join(templateDir(), 'report.hbs'), 'utf8'), { strict: false, noEscape: false });
  return compiled;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function headerRows(headers: Record<string, string | string[]>): { name: string; value: string }[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value: Array.isArray(value) ? value.join('\n') : value }));
}

function exchangeView(exchange: Exchange) {
  return {
    ...exchange,
    requestHeaders: headerRows(exchange.request.headers),
    responseHeaders: exchange.response ? headerRows(exchange.response.headers) : [],
    timing: formatDuration(exchange.timings.totalMs),
  };
}

function checkView(check: CheckResult) {
  return {
    ...check,
    durationText: formatDuration(check.durationMs),
    open: check.status === 'failed' || check.status === 'errored',
    notes: check.evidence.notes ?? [],
    exchanges: (check.evidence.exchanges ?? []).map(exchangeView),
    data: check.evidence.data ? JSON.stringify(check.evidence.data, null, 2) : undefined,
  };
}

/**
 * One self-contained HTML file: inline CSS and script, allowed by hash in a CSP meta tag that permits nothing
 * else (no network, no other script). Everything from the target goes through Handlebars' escaping.
 */
export function renderHtml(run: RunResult): string {
  const css = readFileSync(join(templateDir(), 'report.css'), 'utf8');
  const script = readFileSync(join(templateDir(), 'report.js'), 'utf8');
  const csp = [`default-src 'none'`, `style-src ${sha256(css)}`, `script-src ${sha256(script)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return template()({
    run,
    css,
    script,
    csp,
    passed: run.verdict.exitCode === 0,
    duration: formatDuration(run.durationMs),
    statusCounts: STATUSES.map((status) => ({ status, count: run.totals.byStatus[status] })),
    severityCounts: SEVERITIES.map((severity) => ({ severity, count: run.totals.findingsBySeverity[severity] })),
    scenarios: run.scenarios.map((s) => ({ ...s, checks: s.checks.map(checkView) })),
  });
}

export function htmlReporter(outputDir: string): Reporter {
  return { name: 'html', onRunEnd: (run) => [writeFileAtomic(join(outputDir, HTML_REPORT_FILE), renderHtml(run))] };
}

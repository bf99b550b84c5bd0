import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { SEVERITIES, STATUSES, type CheckResult, type RunResult, type ScenarioResult } from '../results/model.js';
import { formatDuration } from '../util/duration.js';
import { packageRoot } from '../util/package-root.js';
import { renderChart } from './charts/render-chart.js';
import { exchangeView } from './html-view/exchange-view.js';
import { findingRows } from './html-view/findings.js';
import { filingView, owaspGroups } from './owasp-groups.js';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write-file.js';
import { caFilesNote, insecureWarning } from './trust-notice.js';

export const HTML_REPORT_FILE = 'gauntlet-report.html';

const templateDir = () => join(packageRoot(), 'src', 'report', 'templates');

interface Templates {
  page: HandlebarsTemplateDelegate;
  kinds: Set<string>;
  css: string;
  script: string;
}

let loaded: Templates | undefined;

/**
 * A private Handlebars environment (nothing registered elsewhere can change how target data is escaped), with
 * every file of templates/partials/ registered as a partial; `kind-<kind>.hbs` lays out that kind's checks.
 */
function templates(): Templates {
  if (loaded) return loaded;
  const handlebars = Handlebars.create();
  // Numbers as a reader wants them: three significant digits, small p-values in exponent form.
  handlebars.registerHelper('num', (value: unknown) =>
    typeof value !== 'number' || !Number.isFinite(value) ? String(value ?? '') : value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(1) : Number(value.toPrecision(3)).toString(),
  );
  handlebars.registerHelper('plusOne', (value: unknown) => (typeof value === 'number' ? value + 1 : value));
  const kinds = new Set<string>();
  const partialDir = join(templateDir(), 'partials');
  for (const file of readdirSync(partialDir).filter((f) => f.endsWith('.hbs'))) {
    const name = basename(file, '.hbs');
    handlebars.registerPartial(name, readFileSync(join(partialDir, file), 'utf8'));
    if (name.startsWith('kind-')) kinds.add(name.slice('kind-'.length));
  }
  loaded = {
    // Handlebars indents a partial's output by the indentation of its call, which would shift the lines of a <pre>.
    page: handlebars.compile(readFileSync(join(templateDir(), 'report.hbs'), 'utf8'), { preventIndent: true }),
    kinds,
    css: readFileSync(join(templateDir(), 'report.css'), 'utf8'),
    script: readFileSync(join(templateDir(), 'report.js'), 'utf8'),
  };
  return loaded;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function checkView(check: CheckResult, kinds: Set<string>) {
  return {
    ...check,
    partial: kinds.has(check.kind) ? `kind-${check.kind}` : 'kind-default',
    durationText: formatDuration(check.durationMs),
    filing: filingView(check.taxonomy),
    // Failures not yet accepted, and measurements worth seeing (charts), start unfolded.
    open: (check.status === 'failed' && !check.suppressed) || check.status === 'errored' || (check.evidence.charts?.length ?? 0) > 0,
    notes: check.evidence.notes ?? [],
    charts: (check.evidence.charts ?? []).map((chart) => ({ svg: renderChart(chart) })),
    exchanges: (check.evidence.exchanges ?? []).map((e) => exchangeView(e, check.assertions)),
    /** The kind's measurements as JSON text (the generic view) and as they are (for kind partials). */
    data: check.evidence.data ? JSON.stringify(check.evidence.data, null, 2) : undefined,
    facts: check.evidence.data,
  };
}

function scenarioView(scenario: ScenarioResult, foldPassed: boolean, kinds: Set<string>) {
  const views = scenario.checks.map((c) => checkView(c, kinds));
  const folded = (c: { status: string }) => foldPassed && c.status === 'passed';
  return { ...scenario, total: views.length, checks: views.filter((c) => !folded(c)), passed: views.filter(folded) };
}

/**
 * One self-contained HTML file: inline CSS and script, allowed by hash in a CSP meta tag that permits nothing
 * else (no network, no other script), and charts as inline SVG. Everything from the target goes through
 * Handlebars' escaping; only our own CSS, script and SVG markup are inserted raw.
 */
export function renderHtml(run: RunResult): string {
  const { page, kinds, css, script } = templates();
  const all = run.scenarios.flatMap((s) => s.checks);
  // When something needs attention, passed checks step aside (folded, one click away); when nothing does, they are the report.
  const foldPassed = all.some((c) => c.status === 'failed' || c.status === 'errored');
  const csp = [`default-src 'none'`, `style-src ${sha256(css)}`, `script-src ${sha256(script)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return page({
    run,
    css,
    script,
    csp,
    passed: run.verdict.exitCode === 0,
    insecureWarning: insecureWarning(run.trust),
    caFilesNote: caFilesNote(run.trust),
    duration: formatDuration(run.durationMs),
    statusCounts: STATUSES.map((status) => ({ status, count: run.totals.byStatus[status] })),
    severityCounts: SEVERITIES.map((severity) => ({ severity, count: run.totals.findingsBySeverity[severity] })),
    findings: findingRows(all),
    errored: all.filter((c) => c.status === 'errored').map((c) => ({ id: c.id, title: c.title })),
    scenarios: run.scenarios.map((s) => scenarioView(s, foldPassed, kinds)),
    owaspGroups: owaspGroups(all),
    coverageCategories: Object.entries(run.coverage?.byCategory ?? {})
      .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
      .map(([id, count]) => ({ id, count })),
  });
}

export function htmlReporter(outputDir: string): Reporter {
  return { name: 'html', onRunEnd: (run) => [writeFileAtomic(join(outputDir, HTML_REPORT_FILE), renderHtml(run))] };
}

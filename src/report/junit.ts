import { join } from 'node:path';
import type { ApiCoverage, CheckResult, RunResult, ScenarioResult } from '../results/model.js';
import { describeExchange } from './text.js';
import type { Reporter } from './reporter.js';
import { writeFileAtomic } from './write-file.js';
import { xmlEscape } from './xml.js';
import { insecureWarning } from './trust-notice.js';

export const JUNIT_REPORT_FILE = 'gauntlet-junit.xml';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The JUnit outcome: a failure a baseline accepts reads as skipped, like pytest's xfail, so CI test views stay green. */
function outcome(check: CheckResult): CheckResult['status'] {
  return check.suppressed ? 'skipped' : check.status;
}

function count(checks: CheckResult[], status: CheckResult['status']): number {
  return checks.filter((c) => outcome(c) === status).length;
}

function details(check: CheckResult): string {
  const lines = [`severity: ${check.severity}`, `message: ${check.message}`];
  if (check.source) lines.push(`at: ${check.source.file}:${check.source.line}:${check.source.col}`);
  for (const a of check.assertions ?? []) {
    lines.push(`${a.passed ? 'ok  ' : 'FAIL'} ${a.name}: expected ${a.expected ?? '-'}, got ${a.actual ?? '-'}`);
  }
  if (check.remediation) lines.push(`what to change: ${check.remediation.summary}`, ...(check.remediation.settings ?? []).map((s) => `  ${s.place}: ${s.setting}`));
  if (check.reproduce) lines.push('reproduce (set the variables below first):', check.reproduce.curl, ...check.reproduce.variables.map((v) => `  $${v.name}: ${v.meaning}`));
  for (const exchange of check.evidence.exchanges ?? []) lines.push(describeExchange(exchange));
  return lines.join('\n');
}

function testcase(check: CheckResult, scenario: ScenarioResult): string {
  const attrs = `classname="${xmlEscape(scenario.name)}" name="${xmlEscape(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs)}"${
    check.source ? ` file="${xmlEscape(check.source.file)}" line="${check.source.line}"` : ''
  }`;
  const body = (() => {
    if (check.suppressed) {
      const { reason, expires } = check.suppressed;
      const message = `suppressed by the baseline: ${reason}${expires ? ` (until ${expires})` : ''}`;
      return `<skipped type="suppressed" message="${xmlEscape(message)}"/>\n      <system-out>${xmlEscape(details(check))}</system-out>`;
    }
    switch (check.status) {
      case 'failed':
        return `<failure message="${xmlEscape(check.message)}" type="${check.severity}">${xmlEscape(details(check))}</failure>`;
      case 'errored':
        return `<error message="${xmlEscape(check.message)}" type="${xmlEscape(check.transport ?? 'error')}">${xmlEscape(details(check))}</error>`;
      case 'skipped':
        return `<skipped message="${xmlEscape(check.message)}"/>`;
      default:
        return `<system-out>${xmlEscape(details(check))}</system-out>`;
    }
  })();
  const properties = testcaseProperties(check);
  return `    <testcase ${attrs}>\n${properties ? `      ${properties}\n` : ''}      ${body}\n    </testcase>`;
}

/**
 * The check's OWASP category and CWE, and the baseline entry that accepts it, as testcase properties (first in
 * the testcase, as JUnit readers expect).
 */
function testcaseProperties(check: CheckResult): string | undefined {
  const { owasp, cwe } = check.taxonomy ?? {};
  const pairs: [string, string][] = [];
  if (owasp) pairs.push(['owasp', owasp.id], ['owasp.title', owasp.title]);
  if (cwe) pairs.push(['cwe', `CWE-${cwe.id}`], ...(cwe.title ? [['cwe.title', cwe.title] as [string, string]] : []));
  if (check.suppressed) {
    const { reason, expires, entry } = check.suppressed;
    pairs.push(['gauntlet.status', check.status], ['baseline.reason', reason], ['baseline.entry', `${entry.file}:${entry.line}:${entry.col}`]);
    if (expires) pairs.push(['baseline.expires', expires]);
  }
  if (pairs.length === 0) return undefined;
  return `<properties>${pairs.map(([name, value]) => `<property name="${name}" value="${xmlEscape(value)}"/>`).join('')}</properties>`;
}

/**
 * The OpenAPI coverage as an empty testsuite's properties (JUnit has no run-level properties): operations
 * audited and total, per kind and category, and the operations not audited.
 */
function coverageSuite(coverage: ApiCoverage): string {
  const pairs: [string, string][] = [
    ['openapi.document', coverage.document],
    ['openapi.operations.total', String(coverage.operations.total)],
    ['openapi.operations.audited', String(coverage.operations.audited)],
    ...Object.entries(coverage.byKind).map(([kind, n]): [string, string] => [`openapi.byKind.${kind}`, String(n)]),
    ...Object.entries(coverage.byCategory).map(([id, n]): [string, string] => [`openapi.byCategory.${id}`, String(n)]),
    ['openapi.untouched', coverage.untouched.join(', ')],
    ['openapi.undocumentedStatuses', coverage.undocumentedStatuses.map((u) => `${u.operation} ${u.status}`).join(', ')],
  ];
  const properties = pairs.map(([name, value]) => `<property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`).join('');
  return `  <testsuite name="openapi coverage" tests="0" failures="0" errors="0" skipped="0" time="0"><properties>${properties}</properties></testsuite>`;
}

/**
 * How the target was trusted, when not as usual, as properties of every testsuite (JUnit has no run-level ones), so
 * that whichever suite a reader opens says that TLS verification was off.
 */
function trustProperties(run: RunResult): string | undefined {
  if (!run.trust) return undefined;
  const pairs: [string, string][] = [['gauntlet.tls.insecure', String(run.trust.insecure)]];
  const warning = insecureWarning(run.trust);
  if (warning) pairs.push(['gauntlet.tls.warning', warning]);
  if (run.trust.caFiles?.length) pairs.push(['gauntlet.tls.caFiles', run.trust.caFiles.join(', ')]);
  return `    <properties>${pairs.map(([name, value]) => `<property name="${name}" value="${xmlEscape(value)}"/>`).join('')}</properties>`;
}

/** JUnit XML: a testsuite per scenario; failed -> failure (skipped when a baseline accepts it), errored -> error, skipped -> skipped. */
export function renderJunit(run: RunResult): string {
  const all = run.scenarios.flatMap((s) => s.checks);
  const trust = trustProperties(run);
  const suites = run.scenarios.map((scenario) => {
    const c = scenario.checks;
    const head = `  <testsuite name="${xmlEscape(scenario.name)}" tests="${c.length}" failures="${count(c, 'failed')}" errors="${count(c, 'errored')}" skipped="${count(c, 'skipped')}" time="${seconds(scenario.durationMs)}" timestamp="${xmlEscape(run.startedAt.replace(/\.\d+Z$/, ''))}" file="${xmlEscape(scenario.file)}">`;
    return [head, ...(trust ? [trust] : []), ...c.map((check) => testcase(check, scenario)), '  </testsuite>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gauntlet" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'errored')}" skipped="${count(all, 'skipped')}" time="${seconds(run.durationMs)}">`,
    ...(run.coverage ? [coverageSuite(run.coverage)] : []),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function junitReporter(outputDir: string): Reporter {
  return { name: 'junit', onRunEnd: (run) => [writeFileAtomic(join(outputDir, JUNIT_REPORT_FILE), renderJunit(run))] };
}

import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckResult, RunResult, Severity, Suppression } from '../results/model.js';
import type { Reporter } from './reporter.js';
import { artifactLocation, SRCROOT } from './sarif/artifact-location.js';
import { resultMarkdown, ruleHelp } from './sarif/help.js';
import { FINDING_FINGERPRINT, findingFingerprint } from './sarif/finding-fingerprint.js';
import { SarifTaxonomies, taxonomyTags, type TaxonReference } from './sarif-taxonomies.js';
import { trustNotices } from './trust-notice.js';
import { writeFileAtomic } from './write-file.js';

export const SARIF_REPORT_FILE = 'gauntlet.sarif';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF levels, and GitHub code scanning's security-severity scores (0.1-3.9 low ... 9.0+ critical). */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** A rule per check kind and case: `mtls/expired`, `http/basics.data` (an http check is its own case). */
export function ruleId(check: CheckResult): string {
  const probe = check.case ?? (check.kind === 'http' ? check.id : 'check');
  return `${check.kind}/${probe}`;
}

/**
 * `filed` is every check of the rule: a scenario may file one check of a kind elsewhere (`owasp:`, `cwe:`), so a
 * rule relates to each taxon any of its checks is filed under.
 */
function rule(check: CheckResult, filed: CheckResult[], taxonomies: SarifTaxonomies) {
  const taxa = uniqueTaxa(filed.flatMap((c) => taxonomies.references(c.taxonomy)));
  const tags = [...new Set(['security', check.kind, ...check.tags, ...filed.flatMap((c) => taxonomyTags(c.taxonomy))])];
  return {
    id: ruleId(check),
    name: ruleId(check).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: check.title },
    fullDescription: { text: `${check.title} (gauntlet ${check.kind} check${check.case ? `, case ${check.case}` : ''}).` },
    help: ruleHelp(check.title, filed.filter((c) => c.status === 'failed')),
    defaultConfiguration: { level: LEVEL[check.severity] },
    ...(taxa.length ? { relationships: taxa.map((target) => ({ target, kinds: ['relevant'] })) } : {}),
    properties: { tags, 'security-severity': SECURITY_SEVERITY[check.severity], precision: 'high' },
  };
}

function uniqueTaxa(refs: TaxonReference[]): TaxonReference[] {
  const byKey = new Map(refs.map((r) => [`${r.toolComponent.name}/${r.id}`, r]));
  return [...byKey.values()];
}

/** A finding a baseline accepts: an external suppression, justified by the entry's reason and located at it. */
function suppression({ reason, expires, entry }: Suppression) {
  return {
    kind: 'external',
    status: 'accepted',
    justification: reason,
    location: {
      physicalLocation: {
        // The baseline may live outside the folder gauntlet ran in: then only an absolute file URI locates it.
        artifactLocation: isAbsolute(entry.file) ? { uri: pathToFileURL(entry.file).href } : { uri: entry.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
        region: { startLine: entry.line, startColumn: entry.col },
      },
    },
    ...(expires ? { properties: { expires } } : {}),
  };
}

/** SARIF 2.1.0: a rule per kind and probe, a result per failed check located at the check's scenario line. */
export function renderSarif(run: RunResult): string {
  const checks = run.scenarios.flatMap((s) => s.checks);
  // A rule stands for every check of its kind and case: it carries the gravest of their severities, since code
  // scanning ranks alerts by the rule's.
  const representative = new Map<string, CheckResult>();
  const ofRule = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const id = ruleId(check);
    const seen = representative.get(id);
    if (!seen || RANK[check.severity] > RANK[seen.severity]) representative.set(id, check);
    if (ofRule.has(id)) ofRule.get(id)!.push(check);
    else ofRule.set(id, [check]);
  }
  const taxonomies = new SarifTaxonomies(checks);
  const rules = new Map([...representative].map(([id, check]) => [id, rule(check, ofRule.get(id)!, taxonomies)]));
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  const results = checks
    .filter((c) => c.status === 'failed')
    .map((check) => ({
      ruleId: ruleId(check),
      ruleIndex: ruleIndex.get(ruleId(check)),
      level: LEVEL[check.severity],
      message: { text: `${check.title}: ${check.message}`, ...(resultMarkdown(check) ? { markdown: resultMarkdown(check) } : {}) },
      locations: check.source
        ? [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(check.source.file),
                region: { startLine: check.source.line, startColumn: check.source.col },
              },
            },
          ]
        : [],
      ...(check.taxonomy ? { taxa: taxonomies.references(check.taxonomy) } : {}),
      partialFingerprints: { [FINDING_FINGERPRINT]: findingFingerprint(run.target.url, ruleId(check), check) },
      ...(check.suppressed ? { suppressions: [suppression(check.suppressed)] } : {}),
      properties: {
        checkId: check.id,
        severity: check.severity,
        target: run.target.url,
        'security-severity': SECURITY_SEVERITY[check.severity],
        ...(check.remediation ? { remediation: check.remediation } : {}),
        ...(check.reproduce ? { reproduce: check.reproduce } : {}),
      },
    }));
  const notifications = checks
    .filter((c) => c.status === 'errored')
    .map((check) => ({ level: 'error', message: { text: `${check.id} could not run: ${check.message}` }, descriptor: { id: ruleId(check) } }));
  // Skipped checks carry no result, but their reason (an interrupt, a turned-off case) belongs in the log.
  const skipped = checks
    .filter((c) => c.status === 'skipped')
    .map((check) => ({ level: 'note', message: { text: `${check.id} ${/^not run\b/.test(check.message) ? '' : 'skipped: '}${check.message}` }, descriptor: { id: ruleId(check) } }));
  // Verification off (or CAs of the run's own) is said where code scanning shows a run's notifications.
  const trust = trustNotices(run.trust).map((text) => ({ level: run.trust?.insecure ? 'warning' : 'note', message: { text } }));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gauntlet',
            version: run.tool.version,
            informationUri: 'https://gauntlet.dev',
            rules: [...rules.values()],
            ...(taxonomies.supported() ? { supportedTaxonomies: taxonomies.supported() } : {}),
          },
        },
        ...(taxonomies.toolComponents() ? { taxonomies: taxonomies.toolComponents() } : {}),
        invocations: [
          {
            executionSuccessful: !run.interrupted && notifications.length === 0,
            startTimeUtc: run.startedAt,
            endTimeUtc: run.finishedAt,
            exitCode: run.verdict.exitCode,
            toolExecutionNotifications: [...trust, ...notifications, ...skipped],
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The folder gauntlet ran in' } } },
        results,
        properties: {
          target: run.target.url,
          verdict: run.verdict.summary,
          ...(run.trust ? { trust: run.trust } : {}),
          ...(run.coverage ? { openApiCoverage: run.coverage } : {}),
          ...(run.baseline ? { baseline: run.baseline } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function sarifReporter(outputDir: string): Reporter {
  return { name: 'sarif', onRunEnd: (run) => [writeFileAtomic(join(outputDir, SARIF_REPORT_FILE), renderSarif(run))] };
}

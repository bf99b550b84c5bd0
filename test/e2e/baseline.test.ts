import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_REASON } from '../../src/baseline/entry.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { sarifSchema } from '../helpers/sarif-schema.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'sk_test_Bq7wY2vM4nK8pL1rT6yU3iO9';

/** A small API with known flaws: its Server header names a version, and /admin answers anyone. */
function flawedApi(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  res.setHeader('server', 'nginx/1.2.3');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ url: req.url }));
}

const SCENARIO = `name: known flaws
checks:
  - { id: flaw.version, kind: http, severity: medium, title: the Server header names no version, request: { path: /a }, expect: { headers: { server: { matches: "^[a-z]+$" } } } }
  - { id: flaw.ok, kind: http, severity: low, request: { path: /b }, expect: { status: 200 } }
  - { id: flaw.admin, kind: http, severity: critical, title: /admin is refused, request: { path: /admin }, expect: { status: 403 } }
`;

const ACCEPT_ADMIN = `- id: flaw.admin
  reason: only reachable from the office network
  allowCritical: true
`;

const checksOf = (run: RunResult) => Object.fromEntries(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));

describe('a baseline of accepted findings', () => {
  let api: TestServer;
  let dir: TempDir;
  let scenario: string;
  let runs = 0;
  beforeAll(async () => {
    api = await startTestServer(flawedApi);
    dir = tempDir();
    scenario = dir.file('flaws.yaml', SCENARIO);
  });
  afterAll(async () => {
    await api.close();
    dir.remove();
  });

  /** A run with its own output folder; `args` come after the scenario and target. */
  async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
    const out = join(dir.path, `out-${++runs}`);
    const sentBefore = api.requests.length;
    const cli = await runCli(['run', scenario, '--target', api.url, '-o', out, ...args], { env });
    const report = () => JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')) as RunResult;
    return { ...cli, out, report, sent: api.requests.length - sentBefore };
  }

  it('suppresses the findings it lists: exit 0, and every report keeps them, marked with the reason', async () => {
    const baseline = dir.file('accepted.yaml', `- id: flaw.version\n  target: ${api.url}\n  reason: the CDN strips it in production\n  expires: 2999-12-31\n${ACCEPT_ADMIN}`);
    const result = await run(['--baseline', baseline, '-r', 'console,json,junit,sarif,html']);
    expect(result.code, result.stderr).toBe(0);

    const report = result.report();
    expect(checksOf(report)['flaw.version']).toMatchObject({
      status: 'failed',
      suppressed: { reason: 'the CDN strips it in production', expires: '2999-12-31', entry: { file: baseline, line: 1, col: 7 } },
    });
    expect(checksOf(report)['flaw.ok']!.suppressed).toBeUndefined();
    expect(report.totals).toMatchObject({ byStatus: { failed: 2, passed: 1 }, suppressed: 2, findingsBySeverity: { medium: 0, critical: 0 } });
    expect(report.baseline).toEqual({ file: baseline, entries: 2, suppressed: 2, problems: [] });

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(result.out, 'gauntlet-junit.xml'), 'utf8'));
    expect(junit.testsuites).toMatchObject({ failures: '0', skipped: '2' });
    const version = junit.testsuites.testsuite.testcase.find((t: { name: string }) => t.name.startsWith('flaw.version'));
    expect(version.skipped).toMatchObject({ type: 'suppressed', message: 'suppressed by the baseline: the CDN strips it in production (until 2999-12-31)' });

    const sarif = JSON.parse(readFileSync(join(result.out, 'gauntlet.sarif'), 'utf8'));
    expect(sarifSchema()(sarif), JSON.stringify(sarifSchema().errors)).toBe(true);
    const suppressions = sarif.runs[0].results.map((r: { properties: { checkId: string }; suppressions: unknown[] }) => [r.properties.checkId, r.suppressions]);
    expect(suppressions).toEqual([
      ['flaw.version', [expect.objectContaining({ kind: 'external', status: 'accepted', justification: 'the CDN strips it in production' })]],
      ['flaw.admin', [expect.objectContaining({ kind: 'external', justification: 'only reachable from the office network' })]],
    ]);

    const html = readFileSync(join(result.out, 'gauntlet-report.html'), 'utf8');
    expect(html).toContain('<span class="badge suppressed" title="the CDN strips it in production">suppressed</span>');
    expect(html).toMatch(/<strong>Suppressed by the baseline<\/strong> \([^)]*accepted\.yaml:1:7, until 2999-12-31\): the CDN strips it in production/);

    expect(result.stdout).toContain('suppressed by');
    expect(result.stdout).toContain('2 failed (2 suppressed)');
    expect(result.stdout).toContain('PASS: no failures at or above severity info (2 suppressed by the baseline)');
    expect(result.stderr).toContain(`baseline ${baseline}: 2 finding(s) suppressed`);
    expect(result.stderr).toContain('flaw.version (medium): the CDN strips it in production [until 2999-12-31]');
  });

  it('fails the run naming an entry that has expired, and no longer suppresses its finding', async () => {
    const baseline = dir.file('expired.yaml', `${ACCEPT_ADMIN}- id: flaw.version\n  reason: the CDN strips it\n  expires: 2000-01-31\n`);
    const result = await run(['--baseline', baseline, '-r', 'json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${baseline}:4:7: error[E_BASELINE_EXPIRED]: flaw.version expired on 2000-01-31`);
    const report = result.report();
    expect(checksOf(report)['flaw.version']!.suppressed).toBeUndefined();
    expect(report.verdict.summary).toBe('1 failed at or above severity info (1 suppressed by the baseline); baseline: 1 entry expired');
  });

  it('fails the run naming a stale entry, unless its check was left out of the run', async () => {
    const baseline = dir.file('stale.yaml', `${ACCEPT_ADMIN}- id: flaw.version\n  reason: the CDN strips it\n- id: flaw.ok\n  reason: it used to answer 500\n- id: flaw.renamed\n  reason: gone\n`);
    const whole = await run(['--baseline', baseline, '-r', 'json']);
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain(`${baseline}:6:7: error[E_BASELINE_STALE]: flaw.ok passed in this run: the finding is gone, so remove the entry`);
    expect(whole.stderr).toContain(`${baseline}:8:7: error[E_BASELINE_STALE]: flaw.renamed names no check of the scenarios run`);
    expect(whole.report().baseline!.problems.map((p) => p.id)).toEqual(['flaw.ok', 'flaw.renamed']);

    const trimmed = dir.file('stale-only.yaml', readFileSync(baseline, 'utf8').replace(/- id: flaw.renamed\n.*\n/, ''));
    const selected = await run(['--baseline', trimmed, '-r', 'json', '--only', 'flaw.version', '--only', 'flaw.admin']);
    expect(selected.code, selected.stderr).toBe(0);
    expect(selected.stderr).not.toContain('E_BASELINE_STALE');
  });

  it('refuses to silence a critical finding without allowCritical: exit 2 at the entry, and nothing is sent', async () => {
    const baseline = dir.file('critical.yaml', '# accepted\n- id: flaw.admin\n  reason: only reachable from the office network\n');
    const result = await run(['--baseline', baseline]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${baseline}:2:7: error[E_BASELINE_CRITICAL]: flaw.admin is critical (${scenario}:5:5): a baseline accepts a critical finding only with allowCritical: true`);
    expect(result.stderr).toContain('nothing was sent');
    expect(result.sent).toBe(0);
  });

  it('writes the findings as a starting baseline whose placeholder reasons are refused, and that passes once they are written', async () => {
    const file = join(dir.path, 'written.yaml');
    const first = await run(['--write-baseline', file, '-r', 'json']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`wrote baseline ${file} (2 entries)`);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('yaml-language-server: $schema=');
    expect(written.match(/^- id: .*$/gm)).toEqual(['- id: flaw.version', '- id: flaw.admin']);
    expect(written).toContain(`target: ${api.url}`);
    expect(written).not.toMatch(/^\s+expires:/m);

    const refused = await run(['--baseline', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: error\\[E_BASELINE_NO_REASON\\]: the reason of flaw.version is still the placeholder`));
    expect(refused.stderr).toContain('error[E_BASELINE_CRITICAL]: flaw.admin is critical');
    expect(refused.sent).toBe(0);

    writeFileSync(file, written.replaceAll(`"${PLACEHOLDER_REASON}"`, 'reviewed with the security team').replace('allowCritical: false', 'allowCritical: true'));
    const accepted = await run(['--baseline', file, '-r', 'json']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.report().totals.suppressed).toBe(2);

    // Refreshing a baseline in place keeps the reasons it holds.
    const refreshed = await run(['--baseline', file, '--write-baseline', file, '-r', 'json']);
    expect(refreshed.code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(PLACEHOLDER_REASON);
    expect((await run(['--baseline', file, '-r', 'json'])).code).toBe(0);
  });

  it('will not overwrite a file that is not the run’s own baseline', async () => {
    const other = dir.file('curated.yaml', '- id: flaw.version\n  reason: curated by hand\n');
    const result = await run(['--write-baseline', other]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--write-baseline ${other} already exists`);
    expect(result.sent).toBe(0);
    expect(readFileSync(other, 'utf8')).toContain('curated by hand');
  });

  it('never writes a secret into the baseline, even from a finding whose message quotes one', async () => {
    const profile = dir.file('profile.yaml', `target: ${api.url}\nkeys:\n  main: \${env:GAUNTLET_BASELINE_KEY}\n`);
    const keyed = dir.file('keyed.yaml', 'name: keyed\nchecks:\n  - { id: keyed.echo, kind: http, severity: low, request: { path: /echo, key: { name: main, in: query } }, expect: { body: { contains: nope } } }\n');
    const file = join(dir.path, 'keyed-baseline.yaml');
    const sentBefore = api.requests.length;
    const result = await runCli(['run', keyed, '-p', profile, '--write-baseline', file, '-o', join(dir.path, 'keyed-out')], { env: { GAUNTLET_BASELINE_KEY: KEY } });
    expect(result.code).toBe(1);
    // The target received the key and echoed it, so its absence below is redaction.
    expect(api.requests.slice(sentBefore).map((r) => r.url).join(' ')).toContain(KEY);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('- id: keyed.echo');
    expect(written).toContain('[redacted:');
    expect(written).not.toContain(KEY);
    expect(written).not.toContain(encodeURIComponent(KEY));
  });
});

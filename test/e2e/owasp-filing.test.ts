import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { sarifSchema } from '../helpers/sarif-schema.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'fk_live_Owasp7Filing3Key9Zx2Cv8Bn4Mq';

/** Takes the key in its header and, wrongly, in ?api_key=; and serves any caller's order to any other. */
function target(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/health') return void res.end('ok');
  const key = (req.headers['x-api-key'] as string | undefined) ?? url.searchParams.get('api_key');
  if (key !== KEY) {
    res.writeHead(401, { 'www-authenticate': 'ApiKey', 'content-type': 'application/json' });
    return void res.end('{"error":"unauthorized"}');
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}

const SCENARIO = `name: filed
checks:
  - { id: keys, kind: api-key, severity: high, request: { path: /api/thing }, cases: [missing, unknown, valid, query] }
  - id: orders.other-owner
    title: another owner's order is refused
    kind: http
    severity: high
    owasp: API1
    cwe: 639
    request: { path: /api/orders/2, key: valid }
    expect: { status: 404 }
  - { id: health, kind: http, severity: low, request: { path: /health }, expect: { status: 200 } }
`;

describe('every report files findings under their OWASP category and CWE', () => {
  let dir: TempDir;
  let server: TestServer;
  let cli: CliResult;
  let run: RunResult;
  const out = () => join(dir.path, 'out');
  const byId = (id: string): CheckResult => run.scenarios.flatMap((s) => s.checks).find((c) => c.id === id)!;

  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer(target);
    const profile = dir.file('profile.yaml', `target: ${server.url}\nkeys:\n  valid: \${env:FILING_KEY}\n`);
    const scenario = dir.file('filed.yaml', SCENARIO);
    cli = await runCli(['run', scenario, '-p', profile, '-r', 'console,json,sarif,junit,html', '-o', out()], { env: { FILING_KEY: KEY } });
    run = JSON.parse(readFileSync(join(out(), 'gauntlet-report.json'), 'utf8'));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('in the JSON run: each case by its kind, the http check as its scenario says, the other not at all', () => {
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    const filed = (id: string) => [byId(id).status, byId(id).taxonomy?.owasp?.id, byId(id).taxonomy?.cwe?.id];
    expect(filed('keys.missing')).toEqual(['passed', 'API2:2023', 306]);
    expect(filed('keys.unknown')).toEqual(['passed', 'API2:2023', 287]);
    expect(filed('keys.query')).toEqual(['failed', 'API2:2023', 598]);
    expect(filed('orders.other-owner')).toEqual(['failed', 'API1:2023', 639]);
    expect(byId('health')).not.toHaveProperty('taxonomy');
  });

  it('on the console, under each failed check only', () => {
    const lines = cli.stdout.split('\n');
    const after = (id: string) => lines.slice(lines.findIndex((l) => l.includes(` ${id} `))).slice(1, 4);
    expect(after('keys.query')).toContain('          API2:2023 Broken Authentication · CWE-598');
    expect(after('orders.other-owner')).toContain('          API1:2023 Broken Object Level Authorization · CWE-639');
    expect(cli.stdout).not.toContain('CWE-306');
  });

  it('in SARIF: taxonomies, rule relationships and tags, result taxa; valid SARIF 2.1.0', () => {
    const sarif = JSON.parse(readFileSync(join(out(), 'gauntlet.sarif'), 'utf8'));
    const validate = sarifSchema();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const [owasp, cwe] = sarif.runs[0].taxonomies;
    expect(owasp.taxa.map((t: { id: string }) => t.id)).toEqual(['API1:2023', 'API2:2023']);
    expect(cwe.taxa.map((t: { id: string }) => t.id)).toEqual(['287', '306', '598', '639']);
    const query = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'api-key/query');
    expect(query.properties.tags).toEqual(expect.arrayContaining(['API2:2023', 'CWE-598']));
    expect(query.relationships.map((r: { target: { id: string } }) => r.target.id)).toEqual(['API2:2023', '598']);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'http/orders.other-owner');
    expect(result.taxa.map((t: { id: string }) => t.id)).toEqual(['API1:2023', '639']);
  });

  it('in JUnit: testcase properties', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testcase', 'property'].includes(name) });
    const cases: { name: string; properties?: { property: { name: string; value: string }[] } }[] = parser.parse(readFileSync(join(out(), 'gauntlet-junit.xml'), 'utf8')).testsuites.testsuite.testcase;
    const propertiesOf = (id: string) => Object.fromEntries(cases.find((c) => c.name.startsWith(`${id}:`))!.properties?.property.map((p) => [p.name, p.value]) ?? []);
    expect(propertiesOf('keys.query')).toEqual({ owasp: 'API2:2023', 'owasp.title': 'Broken Authentication', cwe: 'CWE-598', 'cwe.title': 'Use of GET Request Method With Sensitive Query Strings' });
    expect(propertiesOf('health')).toEqual({});
  });

  it('in HTML, grouped by category with links to the findings; and again when re-rendered from the saved run', async () => {
    const html = readFileSync(join(out(), 'gauntlet-report.html'), 'utf8');
    expect(html).toContain('<tr data-owasp="API2:2023">');
    expect(html).toContain('href="#check-keys.query"');
    expect(html).toContain('href="#check-orders.other-owner"');
    const again = join(dir.path, 'again');
    const report = await runCli(['report', join(out(), 'gauntlet-report.json'), '-r', 'html,sarif', '-o', again]);
    expect(report.code).toBe(1);
    expect(readFileSync(join(again, 'gauntlet-report.html'), 'utf8')).toContain('href="#check-keys.query"');
    expect(JSON.parse(readFileSync(join(again, 'gauntlet.sarif'), 'utf8')).runs[0].taxonomies).toHaveLength(2);
  });
});

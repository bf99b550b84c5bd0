import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Hands out a new, unpredictable id on each create, as real APIs do. */
function usersApi(): Promise<TestServer> {
  let next = 30 + Math.floor(Math.random() * 1000);
  return startTestServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/users') {
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: next++, name: 'Ada' }));
    } else if (req.url?.startsWith('/api/users/')) {
      // DELETE works (the scenario expects 404, so it fails: a finding); TRACE is served (another finding).
      res.writeHead(req.method === 'DELETE' ? 204 : 200).end();
    } else {
      res.writeHead(404).end();
    }
  });
}

const SCENARIO = `name: users
checks:
  - id: users.create
    kind: http
    severity: low
    request: { method: POST, path: /api/users, body: { json: { name: Ada } } }
    expect: { status: 201 }
    capture: { userId: $.id }
  - id: users.delete
    kind: http
    severity: high
    request: { method: DELETE, path: "/api/users/{{userId}}" }
    expect: { status: 404 }
  - id: users.trace
    kind: methods
    severity: medium
    request: { path: "/api/users/{{userId}}" }
    declared: [GET, DELETE]
    try: [TRACE]
`;

interface Sarif {
  runs: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[];
}

describe('names and fingerprints that hold from run to run', () => {
  let dir: TempDir;
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    dir.file('scenarios/users.yaml', SCENARIO);
    [first, second] = await Promise.all([usersApi(), usersApi()]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    dir?.remove();
  });

  /** A run from the project folder, as CI runs it: scenarios and profile by relative path. */
  async function run(target: string, name: string) {
    dir.file(`${name}.profile.yaml`, `target: ${target}\nmutations: allowed\n`);
    const out = join(dir.path, name);
    const cli = await runCli(['run', 'scenarios', '-p', `${name}.profile.yaml`, '-r', 'junit,sarif,json', '-o', out], { cwd: dir.path });
    expect(cli.code, cli.stderr).toBe(1);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'gauntlet-junit.xml'), 'utf8'));
    const cases = [junit.testsuites.testsuite.testcase].flat() as Record<string, string>[];
    const sarif: Sarif = JSON.parse(readFileSync(join(out, 'gauntlet.sarif'), 'utf8'));
    const sent = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')).scenarios[0].checks[1].evidence.exchanges[0].request.url as string;
    return { names: cases.map((c) => c['@_name']), results: sarif.runs[0]!.results, sent };
  }

  it('gives the same JUnit names and SARIF fingerprints to two runs that were handed different ids', async () => {
    const a = await run(first.url, 'a');
    const b = await run(first.url, 'b');
    // The runs did send different ids...
    expect(a.sent).not.toBe(b.sent);
    // ...and no name says which.
    expect(a.names).toEqual(b.names);
    expect(a.names).toContain('users.delete: DELETE /api/users/{{userId}} answers 404');
    expect(a.names).toContain('users.trace.trace: TRACE is not served (it would echo requests back: cross-site tracing)');
    expect(a.names.join('\n')).not.toMatch(/\/api\/users\/\d/);
    expect(a.results.map((r) => r.ruleId)).toEqual(['http/users.delete', 'methods/trace']);
    expect(a.results.map((r) => r.partialFingerprints)).toEqual(b.results.map((r) => r.partialFingerprints));
  });

  it('gives the same finding on another target a fingerprint of its own', async () => {
    const a = await run(first.url, 'first');
    const other = await run(second.url, 'second');
    expect(other.results.map((r) => r.ruleId)).toEqual(a.results.map((r) => r.ruleId));
    a.results.forEach((result, i) => expect(other.results[i]!.partialFingerprints).not.toEqual(result.partialFingerprints));
  });

  it('locates findings in scenario files relative to the project root', async () => {
    const { results } = await run(first.url, 'located');
    for (const result of results) expect(result.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'scenarios/users.yaml', uriBaseId: '%SRCROOT%' });
  });
});

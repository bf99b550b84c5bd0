import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'pk_live_placement_0123456789abcdef';
const BASIC = 'auditor:s3cret-pass';

/** Where each scheme reads its credential, as an API would; anything else is no credential at all. */
const READERS: Record<string, (req: IncomingMessage, url: URL) => string | undefined> = {
  header: (req) => req.headers['x-api-key'] as string | undefined,
  query: (_req, url) => url.searchParams.get('api_key') ?? undefined,
  cookie: (req) => /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1],
  basic: (req) => {
    const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : undefined;
  },
  bearer: (req) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1],
};

describe('API keys in every place an OpenAPI security scheme can put them', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const scheme = url.pathname.split('/')[1]!;
      const given = READERS[scheme]?.(req, url);
      const expected = scheme === 'basic' ? BASIC : KEY;
      if (given === undefined) return void res.writeHead(401, { 'www-authenticate': scheme === 'basic' ? 'Basic realm="api"' : 'Bearer' }).end();
      if (given !== expected) return void res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it.each([
    ['header', 'in: header, header: X-API-Key', KEY],
    ['query', 'in: query, param: api_key', KEY],
    ['cookie', 'in: cookie, param: session', KEY],
    ['basic', 'in: basic', BASIC],
    ['bearer', 'in: bearer', KEY],
  ])('%s: the matrix refuses what it must and the valid key is served', async (scheme, placement, value) => {
    const profile = dir.file(`${scheme}.profile.yaml`, `target: ${server.url}\nkeys:\n  valid: \${env:PLACEMENT_KEY}\n`);
    const scenario = dir.file(`${scheme}.yaml`, `name: ${scheme}\nchecks:\n  - { id: k, kind: api-key, severity: high, request: { path: /${scheme}/data }, ${placement}, cases: [missing, malformed, unknown, valid, query] }\n`);
    const out = join(dir.path, scheme);
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { PLACEMENT_KEY: value } });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const status = (c: CheckResult) => `${c.case}: ${c.status}`;
    expect(run.scenarios[0]!.checks.map(status)).toEqual(['missing: passed', 'malformed: passed', 'unknown: passed', 'valid: passed', `query: ${scheme === 'query' ? 'skipped' : 'passed'}`]);
    expect(cli.code, cli.stdout).toBe(0);
    // The credential reached no report, in any encoding (Basic carries it base64-encoded).
    const report = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
    for (const form of [value, Buffer.from(value).toString('base64')]) expect(report).not.toContain(form);
  });
});

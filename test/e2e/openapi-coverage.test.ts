import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Things', version: '1' },
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
  security: [{ key: [] }],
  paths: {
    '/things': { post: { responses: { '201': { description: 'made' } } } },
    '/things/mine': { get: { responses: { '200': { description: 'yours' } } } },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { responses: { '200': { description: 'a thing' }, '404': { description: 'none' } } },
      delete: { responses: { '204': { description: 'gone' } } },
    },
  },
};

describe('run --openapi: which operations the run audited', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      if (req.headers['x-api-key'] !== 'tk_live_coverage_key_0123456789') return void res.writeHead(401, { 'www-authenticate': 'ApiKey' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('counts the operations reached by kind and category, lists the others, and the statuses the document omits', async () => {
    const doc = dir.file('things.json', JSON.stringify(DOCUMENT));
    const profile = dir.file('profile.yaml', `target: ${server.url}\nkeys:\n  valid: \${env:COVERAGE_KEY}\n`);
    const scenario = dir.file(
      'things.yaml',
      'name: things\nchecks:\n' +
        '  - { id: mine, kind: http, severity: low, request: { path: /things/mine, key: valid }, expect: { status: 200 } }\n' +
        '  - { id: keys, kind: api-key, severity: high, request: { path: /things/7 }, cases: [missing, valid] }\n',
    );
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '-p', profile, '--openapi', doc, '-r', 'console,json,junit,html', '-o', out], { env: { COVERAGE_KEY: 'tk_live_coverage_key_0123456789' } });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    // /things/mine is its own operation, not /things/{id} with id "mine".
    expect(run.coverage).toMatchObject({
      title: 'Things',
      operations: { total: 4, audited: 2 },
      byKind: { http: 1, 'api-key': 1 },
      byCategory: { 'API2:2023': 1 },
      untouched: ['POST /things', 'DELETE /things/{id}'],
      undocumentedStatuses: [{ operation: 'GET /things/{id}', status: 401, checks: ['keys.missing'] }],
    });
    expect(cli.stdout).toContain('OpenAPI coverage of "Things": 2 of 4 operations audited (50%)');
    expect(cli.stdout).toContain('not audited (2): POST /things, DELETE /things/{id}');
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'gauntlet-junit.xml'), 'utf8'));
    const properties = junit.testsuites.testsuite[0].properties.property as { '@_name': string; '@_value': string }[];
    expect(properties.find((p) => p['@_name'] === 'openapi.operations.audited')?.['@_value']).toBe('2');
    expect(readFileSync(join(out, 'gauntlet-report.html'), 'utf8')).toContain('OpenAPI coverage: 2 of 4 operations audited');
  });

  it('refuses a document it cannot read before sending anything', async () => {
    const before = server.requests.length;
    const scenario = dir.file('one.yaml', 'name: one\nchecks:\n  - { id: one, kind: http, severity: low, request: { path: /things/mine }, expect: { status: 200 } }\n');
    const broken = dir.file('broken.json', JSON.stringify({ ...DOCUMENT, paths: { '/x': { get: { responses: { '200': { $ref: '#/components/responses/Nope' } } } } } }));
    const cli = await runCli(['run', scenario, '--target', server.url, '--openapi', broken, '-o', join(dir.path, 'none')]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('E_OPENAPI_REF');
    expect(cli.stderr).toContain('#/paths/~1x/get/responses/200/$ref');
    expect(server.requests.length).toBe(before);
  });
});

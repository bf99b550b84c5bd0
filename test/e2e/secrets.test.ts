import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretEncodings } from '../../src/results/secret-encodings.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'sk_test_Zq8wX3vN5mK1pL7rT2yU9iO4';
const BEARER = 'eyJhbGciOiJub25lIn0.c2VjcmV0LXRva2Vu.sig';

describe('secrets never reach any output', () => {
  let dir: TempDir;
  let echo: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    // A hostile target: echoes the whole request (URL and headers) in its body and in a response header.
    echo = await startTestServer((req, res) => {
      const sent = req.headers['x-api-key'];
      if (typeof sent === 'string' && req.url?.startsWith('/cut/')) {
        // The key as a header name, and in a body where gauntlet's cuts fall inside it.
        res.setHeader(sent, '1');
        const at = Number(req.url.slice('/cut/'.length));
        return res.end(`${'x'.repeat(at)}${sent}${'y'.repeat(9000)}`);
      }
      res.setHeader('x-echo', JSON.stringify(req.headers));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
  });
  afterAll(async () => {
    await echo.close();
    dir.remove();
  });

  it('redacts a configured key sent as a header, a bearer token and a query parameter, and a literal Authorization header', async () => {
    const profile = dir.file('profile.yaml', `target: ${echo.url}\nkeys:\n  main: \${env:GAUNTLET_TEST_KEY}\n`);
    const scenario = dir.file(
      'keys.yaml',
      `name: keys
checks:
  - { id: k.header, kind: http, severity: low, request: { path: /h, key: main }, expect: { status: 200, body: { contains: nope } } }
  - { id: k.bearer, kind: http, severity: low, request: { path: /b, key: { name: main, in: bearer } }, expect: { status: 201 } }
  - { id: k.query, kind: http, severity: low, request: { path: /q, key: { name: main, in: query } }, expect: { status: 500 } }
  - { id: k.literal, kind: http, severity: low, request: { path: /l, headers: { Authorization: "Bearer ${BEARER}" } }, expect: { status: 200, json: { $.url: { equals: "/x" } } } }
`,
    );
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'console,json,junit,html,sarif', '-o', out, '--verbose'], {
      env: { GAUNTLET_TEST_KEY: KEY },
    });
    expect(cli.code).toBe(1);
    // The target really received the key, so the absence below is redaction, not a key never sent.
    const received = echo.requests.map((r) => `${r.url} ${JSON.stringify(r.headers)}`).join('\n');
    expect(received).toContain(KEY);
    expect(received).toContain(encodeURIComponent(KEY));
    expect(received).toContain(BEARER);

    const files = readdirSync(out).map((f) => join(out, f));
    expect(files).toHaveLength(4);
    const outputs = [cli.stdout, cli.stderr, ...files.map((f) => readFileSync(f, 'utf8'))];
    for (const text of outputs) {
      for (const form of [...secretEncodings(KEY), ...secretEncodings(BEARER)]) expect(text).not.toContain(form);
    }
    expect(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')).toContain('[redacted:');

    // The curl commands of the findings name the key by its profile name and the literal token by its header.
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const curl = (id: string) => run.scenarios[0]!.checks.find((c) => c.id === id)!.reproduce!.curl;
    expect(curl('k.header')).toContain('-H "X-API-Key: ${GAUNTLET_KEY_MAIN}"');
    expect(curl('k.bearer')).toContain('-H "Authorization: Bearer ${GAUNTLET_KEY_MAIN}"');
    expect(curl('k.query')).toContain(`"${echo.url}/q?api_key=\${GAUNTLET_KEY_MAIN}"`);
    expect(curl('k.literal')).toContain('-H "Authorization: ${GAUNTLET_SECRET_AUTHORIZATION}"');
    const sarif = readFileSync(join(out, 'gauntlet.sarif'), 'utf8');
    expect(sarif).toContain('GAUNTLET_KEY_MAIN');

    // Run as the report gives it, with the key set, the command sends the same request again.
    const before = echo.requests.length;
    // Asynchronously: the target answers from this process.
    const { stdout: answer } = await promisify(execFile)('bash', ['-c', curl('k.query')], { env: { PATH: process.env.PATH, GAUNTLET_KEY_MAIN: KEY }, encoding: 'utf8', timeout: 10_000 });
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    expect(echo.requests.slice(before).map((r) => r.url)).toEqual([`/q?api_key=${encodeURIComponent(KEY)}`]);
  });

  it('redacts a key the target sends back as a header name, or cut in two by a body preview or a message', async () => {
    const profile = dir.file('cut-profile.yaml', `target: ${echo.url}\nkeys:\n  main: \${env:GAUNTLET_TEST_KEY}\n`);
    // The evidence keeps 8 KiB of a body; the not-JSON message keeps 80 characters.
    const scenario = dir.file(
      'cut.yaml',
      `name: cut
checks:
  - { id: c.preview, kind: http, severity: low, request: { path: /cut/8180, key: main }, expect: { status: 201 } }
  - { id: c.message, kind: http, severity: low, request: { path: /cut/70, key: main }, expect: { json: { $.a: { exists: true } } } }
`,
    );
    const out = join(dir.path, 'cut-out');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'console,json,junit,html,sarif', '-o', out, '--verbose'], { env: { GAUNTLET_TEST_KEY: KEY } });
    expect(cli.code).toBe(1);
    const json = readFileSync(join(out, 'gauntlet-report.json'), 'utf8');
    const checks = JSON.parse(json).scenarios[0].checks;
    expect(checks[0].evidence.exchanges[0].response.bodyTruncated).toBe(true);
    expect(checks[1].message).toMatch(/not JSON: x+\[redacted:[0-9a-f]{8}…\]…/);
    const outputs = [cli.stdout, cli.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
    for (const text of outputs) expect(text).not.toContain(KEY.slice(0, 10));
  });
});
